from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the webhook receivers)
