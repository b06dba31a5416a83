from django.http import HttpResponse
from django.template import Context, Template


def page(request):
    title = request.GET.get("title", "")
    template = Template("<title>" + title + "</title>")  # expect: template-injection
    return HttpResponse(template.render(Context({})))
