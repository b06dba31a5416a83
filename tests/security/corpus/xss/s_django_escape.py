"""Twin of v_django_response: django.utils.html.escape."""
# expect: none
# features: sanitizer-html-escape
from django.http import HttpResponse
from django.utils.html import escape


def search(request):
    query = escape(request.GET.get("q", ""))
    return HttpResponse("<p>No results for %s</p>" % query)
