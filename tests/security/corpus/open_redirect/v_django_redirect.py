"""Django: redirect to a GET parameter."""
# features: source-django-get
from django.shortcuts import redirect


def after_logout(request):
    return redirect(request.GET.get("next", "/"))  # expect: open-redirect
