from django.http import HttpResponse


def preferences(request):
    response = HttpResponse("saved")
    response.set_cookie("theme", "dark", max_age=3600, httponly=True)  # expect: insecure-cookie
    return response
