"""Twin of v_django_redirect: url_has_allowed_host_and_scheme guards the target."""
# expect: none
# features: sanitizer-validator, precision-early-return
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def after_logout(request):
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
