"""Twin of v_django_cookie: the cookie only selects a banner from a fixed table."""
# expect: none
# features: sanitizer-allowlist, propagation-indexing
from django.http import HttpResponse

BANNERS = {"spring": "Spring sale", "summer": "Summer sale"}


def banner(request):
    campaign = BANNERS.get(request.COOKIES.get("campaign", ""), "")
    return HttpResponse(f"<div class='banner'>{campaign}</div>")
