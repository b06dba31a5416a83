from django.http import HttpResponse

from .storage import read_document


def document(request, name):
    return HttpResponse(read_document(name), content_type="application/pdf")
