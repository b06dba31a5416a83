"""Django: the raw body, decoded and stripped, parsed by lxml."""
# features: source-django-body, propagation-string-methods
from django.http import JsonResponse
from lxml import etree


def import_catalog(request):
    text = request.body.decode("utf-8").strip()
    root = etree.XML(text)  # expect: xxe
    return JsonResponse({"products": len(root)})
