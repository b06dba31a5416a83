"""Django: a POST value stored in request.session."""
# features: source-django-post
from django.http import JsonResponse


def remember_role(request):
    request.session["role"] = request.POST["role"]  # expect: trust-boundary
    return JsonResponse({"ok": True})
