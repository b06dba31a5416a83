# expect: none
from django.http import JsonResponse

from blog.models import Post


def search(request):
    term = request.GET.get("q", "")
    posts = Post.objects.filter(title__icontains=term).values("id", "title")
    return JsonResponse({"results": list(posts)})
