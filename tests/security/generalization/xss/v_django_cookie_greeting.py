from django.http import HttpResponse


def greeting(request):
    name = request.COOKIES.get("display_name", "guest")
    return HttpResponse(f"<p>Welcome back, {name}!</p>")  # expect: xss
