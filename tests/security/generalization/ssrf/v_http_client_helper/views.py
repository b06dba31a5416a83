from django.http import JsonResponse

from .client import fetch


def import_feed(request):
    return JsonResponse({"body": fetch(request.POST["feed_url"])})
