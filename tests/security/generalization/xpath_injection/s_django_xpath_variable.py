# expect: none
from django.http import JsonResponse
from lxml import etree

TREE = etree.parse("users.xml")


def lookup(request):
    name = request.GET.get("name", "")
    nodes = TREE.xpath("//user[@name=$name]/email/text()", name=name)
    return JsonResponse({"emails": [str(node) for node in nodes]})
