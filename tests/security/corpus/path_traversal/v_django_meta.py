"""Django: a header from request.META names a log file."""
# features: source-django-meta, propagation-string-methods
from django.http import JsonResponse


def tail_log(request):
    name = request.META.get("HTTP_X_LOG", "app").replace(" ", "_")
    with open("/var/log/app/" + name + ".log") as handle:  # expect: path-traversal
        lines = handle.readlines()[-20:]
    return JsonResponse({"lines": lines})
