"""The workflow refuses what the guidance does not allow, with a message, and saves nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from learninghub.core.audit.auditor import AnonymousAuditError, Auditor
from learninghub.core.audit.models import AuditEvent
from learninghub.core.files.models import FileVersion
from learninghub.core.files.tests.samples import pdf_bytes
from learninghub.reviews import services
from learninghub.reviews.models import Case, Document, Notification, RapidReview
from learninghub.reviews.tests.factories import decided_case, notified_case, open_case
from learninghub.reviews.tests.milestone_helpers import final_report, sign_off

pytestmark = pytest.mark.django_db
SYSTEM = Auditor.for_system("tests")


def _messages(error: ValidationError) -> dict:
    return {field: " ".join(messages) for field, messages in error.message_dict.items()}


def _notification(**overrides):
    data = {
        "incident_date": date(2025, 12, 1),
        "aware_date": date(2025, 12, 3),
        "child_died": False,
        "seriously_harmed": True,
        "abuse_or_neglect_suspected": True,
        "care_status": "",
        "sent_to_panel_on": None,
        "sent_to_ofsted_on": None,
        "sent_to_secretary_of_state_on": None,
        "panel_reference": "",
    }
    data.update(overrides)
    return data


def test_both_limbs_of_the_criteria_are_needed(world):
    case = open_case(world.partnership)
    # Abuse or neglect suspected, but the child neither died nor was seriously harmed.
    with pytest.raises(ValidationError) as error:
        services.notification_record(
            auditor=SYSTEM, case=case, **_notification(seriously_harmed=False)
        )
    assert "died or was seriously harmed" in _messages(error.value)["child_died"]
    # Seriously harmed, but no abuse or neglect known or suspected.
    with pytest.raises(ValidationError) as error:
        services.notification_record(
            auditor=SYSTEM, case=case, **_notification(abuse_or_neglect_suspected=False)
        )
    messages = _messages(error.value)
    assert "abuse or neglect is known or suspected" in messages["abuse_or_neglect_suspected"]
    assert not Notification.objects.filter(case=case).exists()


@pytest.mark.usefixtures("frozen_clock")  # "tomorrow" must still be tomorrow for the service
def test_dates_in_the_future_or_out_of_order_are_refused(world):
    case = open_case(world.partnership)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.notification_record(
            auditor=SYSTEM,
            case=case,
            **_notification(incident_date=tomorrow, aware_date=date(2025, 11, 1)),
        )
    messages = _messages(error.value)
    assert "today or in the past" in messages["incident_date"]
    assert "after the incident date" in messages["aware_date"]


def test_ofsted_and_secretary_of_state_only_for_looked_after_children(world):
    """Only the death of a looked-after child or care leaver goes to Ofsted and the SoS."""
    case = open_case(world.partnership)
    refused = [
        {},  # not looked after
        {"care_status": "looked_after"},  # looked after, seriously harmed but alive
        {"care_status": "care_leaver"},
    ]
    for change in refused:
        with pytest.raises(ValidationError) as error:
            services.notification_record(
                auditor=SYSTEM,
                case=case,
                **_notification(sent_to_ofsted_on=date(2025, 12, 5), **change),
            )
        assert "deaths of looked-after" in _messages(error.value)["sent_to_ofsted_on"], change
    assert not Notification.objects.filter(case=case).exists()
    services.notification_record(
        auditor=SYSTEM,
        case=case,
        **_notification(
            child_died=True, care_status="looked_after", sent_to_ofsted_on=date(2025, 12, 5)
        ),
    )
    assert case.notification.needs_ofsted_and_secretary_of_state
    # A care leaver's death, whatever its cause, is notified too.
    services.notification_record(
        auditor=SYSTEM,
        case=case,
        **_notification(
            child_died=True,
            seriously_harmed=False,
            abuse_or_neglect_suspected=False,
            care_status="care_leaver",
            sent_to_secretary_of_state_on=date(2025, 12, 5),
        ),
    )
    case.notification.refresh_from_db()
    assert case.notification.needs_ofsted_and_secretary_of_state
    assert not case.notification.is_serious_incident


def test_no_panel_response_before_the_rapid_review_was_sent(world):
    case = notified_case(world.partnership)
    with pytest.raises(ValidationError) as error:
        services.rapid_review_update(
            auditor=SYSTEM,
            case=case,
            panel_response="agrees",
            panel_response_on=date(2026, 1, 5),
        )
    assert "before the rapid review was sent" in _messages(error.value)["panel_response"]
    assert RapidReview.objects.get(case=case).panel_response == ""


def test_rapid_review_is_sent_only_after_decision_and_sign_off(world):
    case = notified_case(world.partnership)
    with pytest.raises(ValidationError) as error:
        services.rapid_review_update(auditor=SYSTEM, case=case, sent_to_panel_on=date(2025, 12, 20))
    messages = _messages(error.value)
    assert "decision" in messages["decision"]
    assert "sign-off" in messages["partners_signed_off_on"]


def test_decision_needs_reasons(world):
    case = notified_case(world.partnership)
    with pytest.raises(ValidationError) as error:
        services.rapid_review_update(auditor=SYSTEM, case=case, decision="no_further_review")
    assert "reasons" in _messages(error.value)["decision_reasons"]


def test_practice_review_needs_a_decision_to_hold_one(world):
    case = notified_case(world.partnership)
    with pytest.raises(ValidationError) as error:
        services.practice_review_start(
            auditor=SYSTEM, case=case, kind="local", decision_date=date(2026, 1, 5)
        )
    assert "Record that decision first" in _messages(error.value)["kind"]


def _review(world):
    case = decided_case(world.partnership)
    return services.practice_review_start(
        auditor=SYSTEM, case=case, kind="local", decision_date=date(2026, 1, 12)
    )


def test_no_publication_before_partners_approval(world):
    review = _review(world)
    with pytest.raises(ValidationError) as error:
        services.practice_review_update(
            auditor=SYSTEM,
            review=review,
            sent_to_panel_on=date(2026, 6, 1),
            published_on=date(2026, 6, 20),
        )
    assert "before the partners have approved" in _messages(error.value)["published_on"]
    review.refresh_from_db()
    assert review.published_on is None and review.sent_to_panel_on is None


def test_planned_publication_beyond_six_months_needs_its_reason(world):
    review = _review(world)
    with pytest.raises(ValidationError) as error:
        services.practice_review_update(
            auditor=SYSTEM, review=review, planned_publication_on=date(2026, 7, 13)
        )
    assert "after 12 July 2026" in _messages(error.value)["late_publication_reason"]
    services.practice_review_update(
        auditor=SYSTEM,
        review=review,
        planned_publication_on=date(2026, 7, 13),
        late_publication_reason="The practitioner event moved",
    )
    review.refresh_from_db()
    assert review.planned_publication_on == date(2026, 7, 13)


def test_publishing_within_seven_working_days_of_sending_needs_an_audited_override(world):
    review = _review(world)
    sign_off(review, date(2026, 5, 20))
    approved = {
        "sent_to_panel_on": date(2026, 6, 1),
        "published_document": final_report(review.case),
    }
    with pytest.raises(ValidationError) as error:
        services.practice_review_update(
            auditor=SYSTEM, review=review, published_on=date(2026, 6, 5), **approved
        )
    assert "less than 7 working days" in _messages(error.value)["publication_override_reason"]
    services.practice_review_update(
        auditor=SYSTEM,
        review=review,
        published_on=date(2026, 6, 5),
        publication_override_reason="The family asked for publication before the anniversary",
        **approved,
    )
    override = AuditEvent.objects.get(action="reviews.practice_review.publication_override")
    assert "anniversary" in override.changes["publication_override_reason"][1]


def test_publishing_seven_working_days_after_sending_needs_no_override(world):
    review = _review(world)
    sign_off(review, date(2026, 5, 20))
    services.practice_review_update(
        auditor=SYSTEM,
        review=review,
        sent_to_panel_on=date(2026, 6, 1),
        published_on=date(2026, 6, 10),
        published_document=final_report(review.case),
    )
    review.refresh_from_db()
    assert review.published_on == date(2026, 6, 10)


def test_no_publication_while_on_hold(world):
    review = _review(world)
    services.practice_review_hold(
        auditor=SYSTEM,
        review=review,
        reason="Awaiting a criminal trial",
        started_on=date(2026, 2, 1),
        panel_told_on=None,
    )
    sign_off(review, date(2026, 5, 20))
    with pytest.raises(ValidationError) as error:
        services.practice_review_update(
            auditor=SYSTEM,
            review=review,
            sent_to_panel_on=date(2026, 6, 1),
            published_on=date(2026, 6, 20),
        )
    assert "on hold" in _messages(error.value)["published_on"]


def test_recommendation_must_be_addressed(world):
    case = decided_case(world.partnership)
    with pytest.raises(ValidationError) as error:
        services.recommendation_add(
            auditor=SYSTEM, case=case, text="Do better", to_partnership=False
        )
    assert "Choose the agencies" in _messages(error.value)["agencies"]
    with pytest.raises(ValidationError):
        services.recommendation_add(
            auditor=SYSTEM,
            case=case,
            text="Do better",
            to_partnership=False,
            agencies=[world.other_agency],
        )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ....", "must be a PDF or a Word document"),
        ("renamed.pdf", b"MZ not really a pdf", "is damaged or is not really a PDF"),
        ("empty.pdf", b"", "The file is empty"),
    ],
)
def test_documents_are_checked(world, name, content, message):
    case = open_case(world.partnership)
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as error:
        services.document_upload(
            auditor=Auditor(actor=world.user("business_unit")),
            case=case,
            stage="case",
            title="Chronology",
            file=upload,
        )
    assert message in _messages(error.value)["file"]
    assert not FileVersion.objects.exists()
    assert not Document.objects.exists()


def test_documents_are_versioned_and_checksummed(world, settings):
    import hashlib

    case = open_case(world.partnership)
    auditor = Auditor(actor=world.user("business_unit"))
    first = services.document_upload(
        auditor=auditor,
        case=case,
        stage="case",
        title="Chronology",
        file=SimpleUploadedFile("chronology.pdf", pdf_bytes("first")),
    )
    second = services.document_upload(
        auditor=auditor,
        case=case,
        stage="case",
        title="",
        document=Document.objects.get(pk=first.stored_file.owner_id),
        file=SimpleUploadedFile("chronology-v2.pdf", pdf_bytes("second")),
    )
    assert (first.number, second.number) == (1, 2)
    assert second.sha256 == hashlib.sha256(pdf_bytes("second")).hexdigest()
    settings.MAX_UPLOAD_SIZE = 10
    with pytest.raises(ValidationError) as error:
        services.document_upload(
            auditor=auditor,
            case=case,
            stage="case",
            title="Big",
            file=SimpleUploadedFile("big.pdf", pdf_bytes("far too large")),
        )
    assert "smaller than" in _messages(error.value)["file"]


def test_an_anonymous_write_is_refused_and_nothing_is_saved(world):
    with pytest.raises(AnonymousAuditError):
        services.case_open(
            auditor=Auditor(),
            partnership=world.partnership,
            reference="ANON-1",
            children=[
                {"pseudonym": "Child A", "age_band": "1_4", "sex": "male", "ethnicity": "not_known"}
            ],
        )
    assert not Case.objects.filter(reference="ANON-1").exists()


def test_duplicate_reference_is_refused(world):
    open_case(world.partnership, reference="NDSCP-2025-003")
    with pytest.raises(ValidationError) as error:
        open_case(world.partnership, reference="ndscp-2025-003")
    assert "already exists" in _messages(error.value)["reference"]


def test_identifiers_are_encrypted_at_rest_and_never_logged(world):
    from django.db import connection

    case = open_case(world.partnership)
    child = case.children.get()
    services.identifiers_update(
        auditor=SYSTEM, child=child, child_name="Fictional Kid Name", school="Fictional Primary"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT child_name, school FROM reviews_caseidentifiers")
        raw = cursor.fetchone()
    assert "Fictional" not in raw[0] and "Fictional" not in raw[1]
    assert child.identifiers.child_name == "Fictional Kid Name"
    logged = " ".join(str(e.content()) for e in AuditEvent.objects.all())
    assert "Fictional Kid Name" not in logged and "Fictional Primary" not in logged
    event = AuditEvent.objects.get(action="reviews.identifiers.update")
    assert set(event.changes) == {"child_name", "school"}
