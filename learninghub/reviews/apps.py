from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "learninghub.reviews"
    label = "reviews"
    verbose_name = "Case reviews"

    def ready(self) -> None:
        from . import navigation  # noqa: F401
