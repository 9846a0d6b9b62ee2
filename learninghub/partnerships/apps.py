from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "learninghub.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships and people"

    def ready(self) -> None:
        from . import navigation  # noqa: F401
        from .admin import lock_down

        # The admin app's ready() ran first (it is listed first), so every app's admin.py
        # has registered by now.
        lock_down()
