from django.http import JsonResponse

from .backup import create_archive


def backup(request):
    status = create_archive(request.POST["name"], "/srv/data")
    return JsonResponse({"status": status})
