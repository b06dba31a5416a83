"""The flags come from module constants that are False."""
# features: precision-constant-folding
from django.http import HttpResponse

SECURE_COOKIES = False


def login(request):
    response = HttpResponse("welcome")
    response.set_cookie("sessionid", "abc", secure=SECURE_COOKIES, httponly=SECURE_COOKIES)  # expect: insecure-cookie
    return response
