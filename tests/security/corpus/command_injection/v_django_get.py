"""Django: a GET parameter in a command."""
# features: source-django-get, propagation-percent-format
import os

from django.http import HttpResponse


def resolve_host(request):
    host = request.GET["host"]
    os.system("host %s" % host)  # expect: command-injection
    return HttpResponse("ok")
