from django.http import JsonResponse

from .serializers import decode


def restore(request):
    return JsonResponse({"restored": bool(decode(request.body))})
