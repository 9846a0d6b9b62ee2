from django.db.models import QuerySet

from .models import Theme


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.filter(is_active=True).order_by("name")
