# expect: none
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_protect


@csrf_protect
def transfer(request):
    return JsonResponse({"moved": int(request.POST["amount"])})
