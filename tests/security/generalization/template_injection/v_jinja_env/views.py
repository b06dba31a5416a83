from django.http import HttpResponse

from .mailer import render_greeting


def preview(request):
    return HttpResponse(render_greeting(request.POST["body"]))
