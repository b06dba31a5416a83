from lxml import etree

_TREE = None


def catalog():
    global _TREE
    if _TREE is None:
        _TREE = etree.parse("catalog.xml")
    return _TREE
