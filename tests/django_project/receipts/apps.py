from django.apps import AppConfig


class ReceiptsConfig(AppConfig):
    name = "receipts"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects them)
