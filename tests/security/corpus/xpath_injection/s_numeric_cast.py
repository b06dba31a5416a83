"""Twin of v_helper: the value is an int by the time it reaches the helper."""
# expect: none
# features: sanitizer-numeric-cast, propagation-same-module-helper
from django.http import JsonResponse
from lxml import etree

DOCUMENT = etree.parse("inventory.xml")


def items_for(shelf):
    return DOCUMENT.xpath("//item[@shelf=%d]/@sku" % shelf)


def inventory(request):
    return JsonResponse({"skus": list(items_for(int(request.GET["shelf"])))})
