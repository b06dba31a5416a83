"""Django: GET value in an HttpResponse body."""
# features: source-django-get, propagation-percent-format
from django.http import HttpResponse


def search(request):
    query = request.GET.get("q", "")
    return HttpResponse("<p>No results for %s</p>" % query)  # expect: xss
