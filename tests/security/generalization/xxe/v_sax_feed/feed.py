import xml.sax


class TitleHandler(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.titles = []

    def characters(self, content):
        self.titles.append(content)


def parse_feed(data):
    handler = TitleHandler()
    xml.sax.parseString(data, handler)  # expect: xxe
    return handler.titles
