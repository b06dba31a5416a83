from django.http import HttpResponse


def export(request):
    response = HttpResponse("data", content_type="text/csv")
    response["Content-Disposition"] = "attachment; filename=" + request.GET["name"]  # expect: header-injection
    return response
