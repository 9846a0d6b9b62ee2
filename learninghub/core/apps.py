from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "learninghub.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from .audit import signals  # noqa: F401  (login, logout and lockout events)
        from .deadlines import navigation  # noqa: F401  ("Needs attention", for every app)
