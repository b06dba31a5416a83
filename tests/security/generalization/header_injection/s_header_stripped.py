# expect: none
from django.http import HttpResponse


def export(request):
    name = request.GET["name"].replace("\r", "").replace("\n", "")
    response = HttpResponse("data", content_type="text/csv")
    response["X-Export-Name"] = name
    return response
