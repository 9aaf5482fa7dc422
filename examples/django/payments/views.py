from django.http import HttpRequest, JsonResponse

from .models import Payment


def payments(request: HttpRequest) -> JsonResponse:
    rows = Payment.objects.order_by("reference").values("reference", "amount", "currency", "email", "batch_code")
    return JsonResponse({"payments": list(rows)})
