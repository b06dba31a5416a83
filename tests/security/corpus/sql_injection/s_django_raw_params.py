"""Twin of v_django_raw: the value is passed as a query parameter."""
# expect: none
# features: sanitizer-parameterized-sql
from django.http import JsonResponse

from .models import Article


def search(request):
    term = request.POST.get("q", "")
    articles = Article.objects.raw("SELECT * FROM article WHERE title LIKE %s", ["%" + term + "%"])
    return JsonResponse({"titles": [article.title for article in articles]})
