from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt  # expect: csrf-disabled
def transfer(request):
    amount = int(request.POST["amount"])
    return JsonResponse({"moved": amount})
