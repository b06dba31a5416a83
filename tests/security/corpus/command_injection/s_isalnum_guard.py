"""Twin of v_django_get: a validator that returns early unless the value is alphanumeric."""
# expect: none
# features: precision-early-return, sanitizer-validator
import os

from django.http import HttpResponse, HttpResponseBadRequest


def resolve_host(request):
    host = request.GET["host"]
    if not host.isalnum():
        return HttpResponseBadRequest("bad host")
    os.system("host %s" % host)
    return HttpResponse("ok")
