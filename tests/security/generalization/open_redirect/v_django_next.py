from django.contrib.auth import login
from django.http import HttpResponseRedirect


def login_view(request):
    login(request, request.user)
    target = request.POST.get("next") or "/"
    return HttpResponseRedirect(target)  # expect: open-redirect
