"""Twin of v_constant_false: the constants are True."""
# expect: none
# features: precision-constant-folding
from django.http import HttpResponse

SECURE_COOKIES = True


def login(request):
    response = HttpResponse("welcome")
    response.set_cookie("sessionid", "abc", secure=SECURE_COOKIES, httponly=SECURE_COOKIES)
    return response
