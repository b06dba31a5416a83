from django.http import JsonResponse

from .directory import find_user


def lookup(request):
    return JsonResponse({"count": len(find_user(request.GET["name"]))})
