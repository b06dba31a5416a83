"""Django: a cookie echoed in HTML."""
# features: source-django-cookies, propagation-fstring
from django.http import HttpResponse


def banner(request):
    campaign = request.COOKIES.get("campaign", "")
    return HttpResponse(f"<div class='banner'>{campaign}</div>")  # expect: xss
