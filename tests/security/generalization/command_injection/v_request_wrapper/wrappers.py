class RequestData:
    """Reads the parameters of the current request, with defaults."""

    def __init__(self, request):
        self.request = request

    def param(self, name, default=""):
        return self.request.args.get(name, default)
