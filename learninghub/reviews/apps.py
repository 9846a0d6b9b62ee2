from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "learninghub.reviews"
    label = "reviews"
    verbose_name = "Case reviews"

    def ready(self) -> None:
        from learninghub.core.audit.display import register_case_material

        from . import navigation  # noqa: F401

        # Every event about a case or anything recorded under it (Case.audit_scope, the
        # reviews models) carries case material: its text is for the case team only, by the
        # same rule as the case itself.
        register_case_material(
            scope_prefix="reviews.case:",
            object_type_prefix="reviews.",
            permission="reviews.view_case",
        )
