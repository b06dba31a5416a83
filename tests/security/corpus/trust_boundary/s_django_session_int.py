"""Twin of v_django_session: the value is an int."""
# expect: none
# features: sanitizer-numeric-cast
from django.http import JsonResponse


def remember_page_size(request):
    request.session["page_size"] = int(request.POST["page_size"])
    return JsonResponse({"ok": True})
