import marshal

from tornado.web import RequestHandler


class StateHandler(RequestHandler):
    def post(self):
        state = marshal.loads(self.request.body)  # expect: unsafe-deserialization
        self.write({"keys": sorted(state)})
