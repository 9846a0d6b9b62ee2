"""The Jinja2 environment: GOV.UK Frontend macros chained after the apps' own templates."""

from __future__ import annotations

from collections import ChainMap
from functools import lru_cache
from itertools import chain

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from . import calendar
from .audit import display as audit_display
from .navigation import items_for
from .summary_list import hub_summary_list
from .tables import hub_table

# Template helpers the apps add from their AppConfig.ready() (their presenters), since the
# core imports no domain app. Ready() runs before the first template engine is built.
_APP_GLOBALS: dict = {}


def register_globals(**helpers) -> None:
    _APP_GLOBALS.update(helpers)


def url(name: str, *args, **kwargs) -> str:
    # A case page asks for ~50 addresses: each is worked out once per resolver (a new one after
    # clear_url_caches) and script prefix, not once per link.
    try:
        return _reverse(
            get_resolver(get_urlconf()), get_script_prefix(), name, args, tuple(kwargs.items())
        )
    except TypeError:  # an argument that cannot be a cache key
        return reverse(name, args=args or None, kwargs=kwargs or None)


@lru_cache(maxsize=4096)
def _reverse(resolver, prefix: str, name: str, args: tuple, kwargs: tuple) -> str:
    return reverse(name, args=args or None, kwargs=dict(kwargs) or None)


def govuk_date(value, fmt: str = "%-d %B %Y") -> str:
    """Dates as GOV.UK writes them: 19 December 2025."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and getattr(value, "hour", None) is not None:
        value = timezone.localtime(value)
    return value.strftime(fmt)


def govuk_datetime(value) -> str:
    if value is None:
        return ""
    value = timezone.localtime(value)
    return f"{value:%-d %B %Y} at {value:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")


class _TemplateGlobals(ChainMap):
    """A template's globals whose keys() is one dict's view, not a walk of every map.

    Jinja subtracts these keys from the caller's on every `{% from … import %}`, and GOV.UK
    Frontend's macros import inside each call: with ChainMap's own keys() that is a Python-level
    lookup per global per import, a measurable share of a table-heavy page (`make bench`)."""

    def keys(self):
        return dict.fromkeys(chain.from_iterable(self.maps)).keys()


class _Environment(Environment):
    def make_globals(self, d):
        return _TemplateGlobals(d or {}, self.globals)


def environment(**options) -> Environment:
    app_loader = options.pop("loader")
    options["loader"] = ChoiceLoader(
        [
            app_loader,
            PrefixLoader(
                {"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}
            ),
        ]
    )
    options.setdefault("extensions", []).append("jinja2.ext.do")
    env = _Environment(**options)  # Django's backend turns autoescape on
    env.globals.update(
        {
            "url": url,
            "static": static,
            "get_messages": get_messages,
            "now": timezone.now,
            "nav_items": items_for,
            "audit_field_label": audit_display.field_label,
            "audit_value_label": audit_display.value_label,
            "audit_record_type": audit_display.record_type_label,
            "audit_timeline": audit_display.timeline_html,
            "clock_status": lambda clock: calendar.deadline_status(
                clock.due_date, done_on=clock.done_on, today=timezone.localdate()
            ),
            "status_colour": calendar.status_tag_colour,
            "hub_table": hub_table,
            "hub_summary_list": hub_summary_list,
        }
    )
    env.globals.update(_APP_GLOBALS)
    env.filters.update({"govuk_date": govuk_date, "govuk_datetime": govuk_datetime, "url": url})
    return env
