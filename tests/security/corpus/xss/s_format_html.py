"""Twin of v_django_response: format_html escapes its arguments."""
# expect: none
# features: sanitizer-html-escape, source-django-get
from django.http import HttpResponse
from django.utils.html import format_html


def search(request):
    return HttpResponse(format_html("<p>No results for {}</p>", request.GET.get("q", "")))
