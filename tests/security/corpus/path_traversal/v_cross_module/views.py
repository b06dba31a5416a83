from django.http import HttpResponse

from . import storage


def blob(request):
    return HttpResponse(storage.load(request.GET["key"]), content_type="application/octet-stream")
