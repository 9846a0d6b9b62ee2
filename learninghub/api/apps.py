from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "learninghub.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from . import navigation, receivers  # noqa: F401

        receivers.connect()
