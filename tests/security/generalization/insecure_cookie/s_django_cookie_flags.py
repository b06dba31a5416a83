# expect: none
from django.http import HttpResponse


def remember(request):
    response = HttpResponse("ok")
    response.set_cookie("theme", request.GET.get("theme", "light"), secure=True, httponly=True, samesite="Lax")
    return response
