import os

import tornado.web


class LookupHandler(tornado.web.RequestHandler):
    def get(self):
        domain = self.get_argument("domain")
        os.system("nslookup %s" % domain)  # expect: command-injection
        self.write("done")
