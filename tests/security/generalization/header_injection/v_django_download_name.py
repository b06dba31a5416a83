from django.http import HttpResponse


def download(request):
    response = HttpResponse(b"data", content_type="application/octet-stream")
    response["Content-Disposition"] = "attachment; filename=" + request.GET["name"]  # expect: header-injection
    return response
