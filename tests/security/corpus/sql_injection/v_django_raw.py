"""Django: a POST value concatenated into a raw query."""
# features: source-django-post, propagation-concatenation
from django.http import JsonResponse

from .models import Article


def search(request):
    term = request.POST.get("q", "")
    articles = Article.objects.raw("SELECT * FROM article WHERE title LIKE '%" + term + "%'")  # expect: sql-injection
    return JsonResponse({"titles": [article.title for article in articles]})
