# expect: none
from django.http import HttpResponse
from django.utils.html import format_html


def comment(request):
    return HttpResponse(format_html("<blockquote>{}</blockquote>", request.POST.get("text", "")))
