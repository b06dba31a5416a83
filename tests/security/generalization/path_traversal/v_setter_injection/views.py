from django.http import HttpResponse

from .reports import ReportReader


def report(request):
    reader = ReportReader()
    reader.set_name(request.GET["report"])
    return HttpResponse(reader.read(), content_type="text/plain")
