import os

from django.conf import settings
from django.http import JsonResponse


def upload(request):
    document = request.FILES["document"]
    target = os.path.join(settings.MEDIA_ROOT, document.name)
    with open(target, "wb") as out:  # expect: path-traversal
        for chunk in document.chunks():
            out.write(chunk)
    return JsonResponse({"saved": document.name})
