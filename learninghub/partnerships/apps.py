from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "learninghub.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships and people"

    def ready(self) -> None:
        from . import navigation  # noqa: F401
