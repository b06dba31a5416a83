"""A helper builds the expression from its parameter."""
# features: propagation-same-module-helper, source-django-get
from django.http import JsonResponse
from lxml import etree

DOCUMENT = etree.parse("inventory.xml")


def items_for(category):
    return DOCUMENT.xpath("//item[@category='%s']/@sku" % category)  # expect: xpath-injection


def inventory(request):
    return JsonResponse({"skus": list(items_for(request.GET["category"]))})
