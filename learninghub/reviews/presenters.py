"""How a case's stage reads on the pages: words, GOV.UK tag colours and where each step links.

The stages module decides where a case stands; this module only puts that into words. The
templates reach these through the globals the app registers (see apps.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from markupsafe import Markup, escape

from learninghub.core import calendar

from . import stages


def _one_to_one(obj, name: str):
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class StageState:
    """Where one stage of the statutory process stands, for the case's task list."""

    key: str
    name: str
    status: str
    # A GOV.UK tag colour for stages still to do; None shows the status as plain text (done).
    tag: str | None
    url_name: str | None


# Steps still to do carry a tag; steps done (or that cannot start) read as plain text.
_NOTIFICATION = {
    "not_started": ("Not started", "govuk-tag--blue"),
    "recorded": ("Recorded, not yet sent", "govuk-tag--light-blue"),
}
_PRACTICE_REVIEW = {
    "commissioned": ("Commissioned by the Panel", "govuk-tag--blue"),
    "offered": ("Not started", "govuk-tag--blue"),
    "not_needed": ("Not needed: the decision was no further review", None),
    "cannot_start": ("Cannot start yet", None),
    "not_publishing": ("Not publishing", "govuk-tag--grey"),
    "on_hold": ("On hold", "govuk-tag--yellow"),
    "in_progress": ("In progress", "govuk-tag--light-blue"),
}


def case_steps(case) -> list[StageState]:
    """Notification, rapid review and practice review: each step's state, in order.

    Reads only what `case_get` already fetched (no queries).
    """
    fmt = calendar.format_date
    steps = stages.step_states(case)
    notification = _one_to_one(case, "notification")
    rapid_review = _one_to_one(case, "rapid_review")
    review = _one_to_one(case, "practice_review")

    if steps.notification == "sent":
        status = f"Sent to the Panel on {fmt(notification.sent_to_panel_on)}"
        notified = StageState("notification", "Notification", status, None, "reviews:notification")
    else:
        status, tag = _NOTIFICATION[steps.notification]
        notified = StageState("notification", "Notification", status, tag, "reviews:notification")

    url = "reviews:rapid_review"
    if steps.rapid_review == "cannot_start":
        rapid = StageState("rapid_review", "Rapid review", "Cannot start yet", None, None)
    elif steps.rapid_review == "answered":
        response = rapid_review.get_panel_response_display()
        status = (
            f"{rapid_review.get_decision_display()}. The Panel "
            f"{response[0].lower()}{response[1:]} on {fmt(rapid_review.panel_response_on)}"
        )
        rapid = StageState("rapid_review", "Rapid review", status, None, url)
    elif steps.rapid_review == "sent":
        status = f"Sent to the Panel on {fmt(rapid_review.sent_to_panel_on)}"
        rapid = StageState("rapid_review", "Rapid review", status, None, url)
    else:
        rapid = StageState(
            "rapid_review", "Rapid review", "In progress", "govuk-tag--light-blue", url
        )

    if review is not None:
        name, url = review.get_kind_display(), "reviews:practice_review"
    elif steps.practice_review == "commissioned":
        # The Panel runs a national review itself; the partnership may still follow it here.
        name, url = "National review", "reviews:practice_review_start"
    elif steps.practice_review == "offered":
        name, url = "Practice review", "reviews:practice_review_start"
    else:
        name, url = "Practice review", None
    if steps.practice_review == "published":
        status, tag = f"Published on {fmt(review.published_on)}", None
    else:
        status, tag = _PRACTICE_REVIEW[steps.practice_review]
    return [notified, rapid, StageState("practice_review", name, status, tag, url)]


def stage_label(case) -> str:
    """Where a case stands, as one word or two, for the case list."""
    stage = stages.stage_of(case)
    if stage == stages.CaseStage.PUBLISHED:
        return stages.CaseStage.PUBLISHED.label
    if stage == stages.CaseStage.PRACTICE_REVIEW:
        return case.practice_review.get_kind_display()
    if stage == stages.CaseStage.RAPID_REVIEW and stages.commissioned_by_panel(case.rapid_review):
        return "Referred for a national review"
    return stages.CaseStage(stage).label


def practice_review_url_name(case) -> str:
    """The case header's practice review link: the review, or the page to start one."""
    if _one_to_one(case, "practice_review") is not None:
        return "reviews:practice_review"
    return "reviews:practice_review_start"


def case_can(case, transition: str) -> bool:
    """Whether to offer a transition's button or link (stages.TRANSITIONS names them)."""
    return stages.can(case, transition) is None


# The case overview's Deadlines table, as hubTable rows made in Python: at bench scale the
# template's per-row macros (each clock's due date and tag) were a measurable share of the
# case page's CPU. The markup is the macros' (reviews/_clock.jinja's clock_due, clock_tag).


def _tag(text: str, classes: str) -> str:
    # govukTag's markup (GOV.UK Frontend's tag macro).
    return f'<strong class="govuk-tag {escape(classes)}">\n  {escape(text)}\n</strong>'


def clock_rows(clocks) -> list:
    """The Deadlines table's rows: each clock's kind, due date with its rule, and status
    (clocks as `selectors.overview_clocks` lists them)."""
    fmt = calendar.format_date
    today = timezone.localdate()
    rows = []
    for clock in clocks:
        due = [
            f"<strong>{escape(fmt(clock.due_date))}</strong><br>\n"
            f'  <span class="govuk-body-s">{escape(clock.description)}</span>\n'
        ]
        if clock.done_on:
            due.append(
                f'  <br><span class="govuk-body-s">Done on {escape(fmt(clock.done_on))}</span>'
            )
        if clock.suspended:
            due.append(
                f'  <br><span class="govuk-body-s">On hold: {escape(clock.suspended_reason)}</span>'
            )
        if clock.suspended and not clock.done_on:
            tag = _tag("On hold", "govuk-tag--grey")
        else:
            status = calendar.deadline_status(clock.due_date, done_on=clock.done_on, today=today)
            tag = _tag(str(status).capitalize(), calendar.status_tag_colour(status))
        rows.append(
            [
                {"text": clock.kind},
                {"html": Markup("".join(due))},  # noqa: S704 (escaped above)
                {"html": Markup(tag)},  # noqa: S704
            ]
        )
    return rows


# The overview's Documents table, as hubTable rows made in Python: at bench scale its
# per-row blocks were a twentieth of the case page's CPU. The markup, to the byte, is what
# case_detail.jinja's loop wrote (the whitespace too).

# Documents kept with the practice review's own stages are never offered to share here.
_NOT_SHARED_HERE = ("practice_review", "draft_report", "final_report")


def document_rows(documents, *, case_pk: int, csrf_field: str) -> list:
    """The Documents table's rows: title, stage, latest version, uploader and the actions
    (documents as `selectors.overview_documents` lists them)."""
    from jinja2.filters import do_filesizeformat

    from learninghub.core.jinja2env import govuk_datetime, url

    rows = []
    for document in documents:
        latest = document.latest
        title = escape(document.title)
        version = uploaded = ""
        actions = ["\n    "]
        if latest:
            version = (
                f"Version {escape(latest.number)}<br>"
                f'<span class="govuk-body-s">{escape(latest.original_name)}, '
                f"{escape(do_filesizeformat(latest.size))}</span>"
            )
            uploaded = (
                f'{escape(latest.uploaded_by)}<br><span class="govuk-body-s">'
                f"{escape(govuk_datetime(latest.uploaded_at))}</span>"
            )
            download = escape(url("reviews:document_download", latest.pk))
            actions.append(
                f'<a class="govuk-link" href="{download}">Download'
                f'<span class="govuk-visually-hidden"> {title}</span></a><br>'
            )
        upload = escape(url("reviews:document_version_upload", case_pk, document.pk))
        actions.append(
            f'\n    <a class="govuk-link" href="{upload}">Upload a new version'
            f'<span class="govuk-visually-hidden"> of {title}</span></a>\n    '
        )
        if document.stage not in _NOT_SHARED_HERE:
            shared = document.shared_with_reviewer
            share = escape(url("reviews:document_share", case_pk, document.pk))
            actions.append(
                f'\n    <form method="post" action="{share}" class="govuk-!-margin-top-2">'
                f"\n      {csrf_field}"
                f'\n      <input type="hidden" name="shared" value="{"no" if shared else "yes"}">'
                "\n      "
            )
            if shared:
                actions.append(
                    '<strong class="govuk-tag govuk-tag--green govuk-!-margin-bottom-2">'
                    "Shared with the reviewer</strong><br>"
                )
            words = "Stop sharing" if shared else "Share with the reviewer"
            actions.append(
                '\n      <button type="submit" class="govuk-button govuk-button--secondary '
                'govuk-!-margin-bottom-0" data-module="govuk-button">'
                f'{words}<span class="govuk-visually-hidden"> {title}</span></button>'
                "\n    </form>\n    "
            )
        actions.append("\n  ")
        rows.append(
            [
                {"text": document.title},
                {"text": document.get_stage_display()},
                {"html": Markup(version)},  # noqa: S704 (escaped above)
                {"html": Markup(uploaded)},  # noqa: S704
                {"html": Markup("".join(actions))},  # noqa: S704
            ]
        )
    return rows


# The template helpers this app adds to the Jinja2 environment.
def user_may(user, perm: str, obj=None) -> bool:
    """Whether to offer a link: the same rule the page behind it checks (no superuser pass)."""
    import rules

    return rules.has_perm(perm, user, obj)


# A milestone's status (selectors.milestones) as words and a GOV.UK tag colour.
_MILESTONE_STATUS = {
    "done": ("Done", "govuk-tag--green"),
    "overdue": ("Overdue", "govuk-tag--red"),
    "planned": ("Planned", "govuk-tag--blue"),
    "not_planned": ("Not planned", "govuk-tag--grey"),
}


def milestone_status_tag(status: str) -> dict:
    text, classes = _MILESTONE_STATUS[status]
    return {"text": text, "classes": classes}


def seven_day_words(check) -> str:
    """The 7-working-day rule, on the dates the report was really sent and published."""
    days = "1 working day" if check.working_days == 1 else f"{check.working_days} working days"
    verdict = "meets" if check.meets else "does not meet"
    return (
        f"Sent to the Panel and Secretary of State on {calendar.format_date(check.sent_on)}, "
        f"published on {calendar.format_date(check.published_on)}: {days}, "
        f"{verdict} the 7-working-day rule"
    )


TEMPLATE_GLOBALS = {
    "case_clock_rows": clock_rows,
    "case_document_rows": document_rows,
    "user_may": user_may,
    "milestone_status_tag": milestone_status_tag,
    "seven_day_words": seven_day_words,
    "case_can": case_can,
    "case_steps": case_steps,
    "case_stage_label": stage_label,
    "practice_review_url_name": practice_review_url_name,
}
