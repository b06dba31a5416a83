from xml.dom import minidom

from django.http import JsonResponse


def parse_feed(request):
    document = minidom.parseString(request.body)  # expect: xxe
    return JsonResponse({"items": len(document.getElementsByTagName("item"))})
