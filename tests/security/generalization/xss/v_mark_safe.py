from django.http import HttpResponse
from django.utils.safestring import mark_safe


def comment(request):
    text = request.POST.get("text", "")
    html = mark_safe("<blockquote>%s</blockquote>" % text)  # expect: xss
    return HttpResponse(html)
