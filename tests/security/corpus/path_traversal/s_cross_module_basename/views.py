import os

from django.http import HttpResponse

from . import storage


def blob(request):
    key = os.path.basename(request.GET["key"])
    return HttpResponse(storage.load(key), content_type="application/octet-stream")
