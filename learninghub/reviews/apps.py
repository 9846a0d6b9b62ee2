from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "learninghub.reviews"
    label = "reviews"
    verbose_name = "Case reviews"

    def ready(self) -> None:
        from learninghub.core.audit.display import register_case_material
        from learninghub.core.jinja2env import register_globals

        from . import deadlines, navigation  # noqa: F401
        from .presenters import TEMPLATE_GLOBALS

        register_globals(**TEMPLATE_GLOBALS)

        # Case documents are kept in the core file store; the core asks this app who may
        # download them.
        from .files import register_files

        register_files()

        # A partnership's case tracker, imported through the core's spreadsheet pages.
        from learninghub.core import spreadsheets

        from .importers import CaseTrackerImporter

        spreadsheets.register(CaseTrackerImporter())

        # Every event about a case or anything recorded under it (Case.audit_scope, the
        # reviews models) carries case material: its text is for the case team only, by the
        # same rule as the case itself.
        register_case_material(
            scope_prefix="reviews.case:",
            object_type_prefix="reviews.",
            permission="reviews.view_case",
        )
