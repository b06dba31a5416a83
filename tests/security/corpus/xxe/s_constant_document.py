"""Twin of v_django_body: the parsed document is a constant of the program."""
# expect: none
# features: precision-constant-data
from django.http import JsonResponse
from lxml import etree

EMPTY_CATALOG = "<catalog/>"


def import_catalog(request):
    root = etree.XML(EMPTY_CATALOG)
    return JsonResponse({"products": len(root), "user": request.user.pk})
