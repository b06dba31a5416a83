from django.shortcuts import render


def search(request):
    return render(request, "results.html", {"query": request.GET.get("q", "")})  # expect: xss
