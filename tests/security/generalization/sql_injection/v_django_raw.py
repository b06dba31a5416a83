from django.db import connection
from django.http import JsonResponse


def search(request):
    term = request.GET.get("q", "")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, title FROM blog_post WHERE title LIKE '%{term}%'")  # expect: sql-injection
        rows = cursor.fetchall()
    return JsonResponse({"results": rows})
