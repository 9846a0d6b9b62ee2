"""Serious child safeguarding cases and their statutory process.

Working Together to Safeguard Children 2023, chapter 5; Children Act 2004 s16C; SI 2018/789.
A case moves through notification → rapid review → (optionally) a practice review, each with
its statutory clock. Case material is restricted; identifying details sit apart, encrypted.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone

from learninghub.core.crypto import EncryptedTextField
from learninghub.core.files.models import FileVersion, StoredFile
from learninghub.core.taxonomy.models import Theme
from learninghub.partnerships.models import Agency, Partnership


class CaseRecord:
    """Something recorded under a case: its audit events join the case's history and are
    read only by the case's partnership."""

    case_path = "case"  # how to reach the case from here

    def _owning_case(self) -> Case:
        owner = self
        for part in self.case_path.split("."):
            owner = getattr(owner, part)
        return owner

    @property
    def audit_partnership_id(self) -> int:
        return self._owning_case().partnership_id

    @property
    def audit_scope(self) -> str:
        return self._owning_case().audit_scope


class AgeBand(models.TextChoices):
    UNBORN = "unborn", "Unborn"
    UNDER_1 = "under_1", "Under 1"
    AGE_1_4 = "1_4", "1 to 4"
    AGE_5_9 = "5_9", "5 to 9"
    AGE_10_15 = "10_15", "10 to 15"
    AGE_16_17 = "16_17", "16 to 17"
    AGE_18_24 = "18_24", "18 to 24 (care leaver)"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """England and Wales 2021 census categories, as the Panel asks about inequality."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = "black_other", "Black, Black British, Caribbean or African: any other"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed_white_black_african",
        "Mixed or multiple: White and Black African",
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or multiple: White and Black Caribbean",
    )
    MIXED_OTHER = "mixed_other", "Mixed or multiple: any other"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY = "white_gypsy", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER = "other", "Other ethnic group: any other"
    NOT_KNOWN = "not_known", "Not known"


class Case(models.Model):
    """One incident: one notification (naming up to four children), one rapid review, and at
    most one practice review. `pseudonym` is the name the case goes by ("Child A", or "Children
    B and C"); each child's own pseudonym and details are a `Child`."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=40)
    pseudonym = models.CharField(max_length=60, help_text='For example "Child A"')
    agencies = models.ManyToManyField(Agency, blank=True, related_name="cases")
    themes = models.ManyToManyField(Theme, blank=True, related_name="cases")
    cdop_reference = models.CharField("CDOP or NCMD reference", max_length=60, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    # A case recorded in error is kept (and audited) but leaves every list and clock.
    recorded_in_error_on = models.DateField(null=True, blank=True)
    recorded_in_error_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference"], name="case_unique_reference"
            )
        ]
        indexes = [models.Index(fields=["partnership", "-opened_at"])]

    def __str__(self) -> str:
        return f"{self.reference} ({self.pseudonym})"

    @property
    def audit_scope(self) -> str:
        return f"reviews.case:{self.pk}"


MAX_CHILDREN = 4  # as the national notification system's form


class Child(CaseRecord, models.Model):
    """A child named in the notification: their own pseudonym and details (siblings are
    common; one notification names up to four)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children")
    position = models.PositiveSmallIntegerField()
    pseudonym = models.CharField(max_length=60, help_text='For example "Child A"')
    age_band = models.CharField(max_length=10, choices=AgeBand.choices)
    sex = models.CharField(max_length=10, choices=Sex.choices)
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices)

    class Meta:
        ordering = ["case", "position"]
        verbose_name_plural = "children"
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="child_unique_position"),
            models.CheckConstraint(
                condition=models.Q(position__gte=1, position__lte=MAX_CHILDREN),
                name="child_position_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class CaseIdentifiers(CaseRecord, models.Model):
    """What identifies a child and family. Encrypted; case review group and business unit only."""

    case_path = "child.case"

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="identifiers")
    child_name = EncryptedTextField(blank=True)
    family_names = EncryptedTextField(blank=True)
    date_of_birth = EncryptedTextField(blank=True)
    address = EncryptedTextField(blank=True)
    school = EncryptedTextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Never written to the audit log: only the fact that they changed.
    audit_redact = ("child_name", "family_names", "date_of_birth", "address", "school")

    def __str__(self) -> str:
        return f"Identifying details for {self.child.pseudonym}"


class CareStatus(models.TextChoices):
    """Whether the child was looked after, or a care leaver, when they died."""

    NEITHER = "", "Neither"
    LOOKED_AFTER = "looked_after", "Looked-after child"
    CARE_LEAVER = "care_leaver", "Care leaver (up to and including age 24)"


class Notification(CaseRecord, models.Model):
    """How a case begins: what the local authority became aware of, and on which date.

    Two duties can follow, each with its own 5-working-day clock from becoming aware: the
    serious incident notification to the national Panel (abuse or neglect known or suspected,
    and the child died or was seriously harmed), and the notification of the death of a
    looked-after child or a care leaver up to and including age 24 to Ofsted and the Secretary
    of State, whatever the cause. When both apply, both are due.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="notification")
    incident_date = models.DateField(null=True, blank=True)
    aware_date = models.DateField(help_text="When the local authority became aware")
    child_died = models.BooleanField(default=False)
    seriously_harmed = models.BooleanField(default=False)
    abuse_or_neglect_suspected = models.BooleanField(default=False)
    care_status = models.CharField(
        max_length=20, choices=CareStatus.choices, blank=True, default=CareStatus.NEITHER
    )
    sent_to_panel_on = models.DateField(null=True, blank=True)
    sent_to_ofsted_on = models.DateField(null=True, blank=True)
    sent_to_secretary_of_state_on = models.DateField(null=True, blank=True)
    panel_reference = models.CharField(max_length=60, blank=True)

    def __str__(self) -> str:
        return f"Notification for {self.case.reference}"

    @property
    def is_serious_incident(self) -> bool:
        """Notifiable to the Panel (Children Act 2004 s16C)."""
        return (self.child_died or self.seriously_harmed) and self.abuse_or_neglect_suspected

    @property
    def needs_ofsted_and_secretary_of_state(self) -> bool:
        # The death of a looked-after child, and (Working Together 2023, December 2023 update)
        # of a care leaver up to and including age 24, whatever the cause.
        return self.child_died and self.care_status in (
            CareStatus.LOOKED_AFTER,
            CareStatus.CARE_LEAVER,
        )


class Decision(models.TextChoices):
    NO_FURTHER_REVIEW = "no_further_review", "No further review"
    LOCAL_REVIEW = "local_review", "Local child safeguarding practice review"
    NATIONAL_REFERRAL = "national_referral", "Referral for a national review"


class PanelResponse(models.TextChoices):
    AGREES = "agrees", "Agrees with the decision"
    CHALLENGES = "challenges", "Challenges the decision"
    NATIONAL_REVIEW = "national_review", "Commissions a national review"


class RapidReview(CaseRecord, models.Model):
    """Completed and sent to the Panel within 15 working days of the notification."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="rapid_review")
    meeting_date = models.DateField(null=True, blank=True)
    # The case review group's record of the meeting.
    meeting_attendees = models.TextField(blank=True)
    meeting_views = models.TextField(blank=True)
    partners_signed_off_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=30, choices=Decision.choices, blank=True)
    decision_reasons = models.TextField(blank=True)
    sent_to_panel_on = models.DateField(null=True, blank=True)
    panel_response = models.CharField(max_length=30, choices=PanelResponse.choices, blank=True)
    panel_response_notes = models.TextField(blank=True)
    panel_response_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Rapid review for {self.case.reference}"


class InformationRequest(CaseRecord, models.Model):
    """A request to an agency for its summary of involvement (typically due by day 10)."""

    case_path = "rapid_review.case"

    rapid_review = models.ForeignKey(
        RapidReview, on_delete=models.CASCADE, related_name="information_requests"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    details = models.TextField("what is asked", blank=True)
    requested_on = models.DateField()
    due_on = models.DateField()
    returned_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["rapid_review", "agency"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="one_request_per_agency",
            )
        ]

    def __str__(self) -> str:
        return f"Information request to {self.agency}"


class ReviewKind(models.TextChoices):
    LOCAL = "local", "Local child safeguarding practice review"
    NATIONAL = "national", "National review"


class Methodology(models.TextChoices):
    SILP = "silp", "Significant Incident Learning Process (SILP)"
    LEARNING_TOGETHER = "learning_together", "Learning Together"
    SYSTEMS = "systems", "Systems approach"
    HYBRID = "hybrid", "Hybrid"
    OTHER = "other", "Other"


class PracticeReview(CaseRecord, models.Model):
    """The local or national review: published within 6 months of the decision."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="practice_review")
    # The children of the incident this review covers (one or several).
    children = models.ManyToManyField(Child, blank=True, related_name="practice_reviews")
    kind = models.CharField(max_length=10, choices=ReviewKind.choices)
    decision_date = models.DateField()
    independent_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews_as_reviewer",
    )
    methodology = models.CharField(max_length=20, choices=Methodology.choices, blank=True)
    terms_of_reference = models.TextField(blank=True)
    # Terms agreed, practitioner event, draft and sign-off are `Milestone`s (issue 8).
    planned_publication_on = models.DateField(null=True, blank=True)
    sent_to_panel_on = models.DateField(
        "sent to the Panel and the Secretary of State on", null=True, blank=True
    )
    published_on = models.DateField(null=True, blank=True)
    publication_override_reason = models.TextField(blank=True)
    # A planned publication beyond 6 months is recorded with its reason, and shown as late.
    late_publication_reason = models.TextField(blank=True)
    # The report that went out: the version of a case document, as published.
    published_report = models.ForeignKey(
        FileVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A hold for parallel proceedings (e.g. a criminal trial) suspends the publication clock.
    on_hold = models.BooleanField(default=False)
    hold_reason = models.TextField(blank=True)
    hold_started_on = models.DateField(null=True, blank=True)
    hold_panel_told_on = models.DateField(null=True, blank=True)
    hold_released_on = models.DateField(null=True, blank=True)
    # A decision not to publish: the reasons go to the Panel and the Secretary of State.
    not_publishing = models.BooleanField(default=False)
    not_publishing_reasons = models.TextField(blank=True)
    not_publishing_reasons_sent_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case.reference}"


class MilestoneKind(models.TextChoices):
    TERMS_AGREED = "terms_agreed", "Terms of reference agreed"
    PRACTITIONER_EVENT = "practitioner_event", "Practitioner event"
    DRAFT_TO_PARTNERS = "draft_to_partners", "Draft to partners"
    PARTNERS_SIGN_OFF = "partners_sign_off", "Partners' sign-off"
    OTHER = "other", "Other"


class Milestone(CaseRecord, models.Model):
    """A step of the practice review's forward plan: planned, then done.

    Planned dates may be in the future; one past its planned date with no actual date is
    overdue. Sending to the Panel and publication are the review's statutory dates
    (`PracticeReview.sent_to_panel_on`, `published_on`), shown beside these.
    """

    case_path = "practice_review.case"

    practice_review = models.ForeignKey(
        PracticeReview, on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(max_length=30, choices=MilestoneKind.choices)
    title = models.CharField(max_length=200)
    planned_on = models.DateField(null=True, blank=True)
    actual_on = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["actual_on", "planned_on"])]

    def __str__(self) -> str:
        return self.title


class PublicationRevision(CaseRecord, models.Model):
    """A revised publication date: why, and when the Panel was told."""

    case_path = "practice_review.case"

    practice_review = models.ForeignKey(
        PracticeReview, on_delete=models.CASCADE, related_name="publication_revisions"
    )
    previous_date = models.DateField(null=True, blank=True)
    revised_date = models.DateField()
    reason = models.TextField()
    panel_told_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"Publication revised to {self.revised_date}"


class Finding(CaseRecord, models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField()
    themes = models.ManyToManyField(Theme, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Recommendation(CaseRecord, models.Model):
    """Addressed to the partnership as a whole or to named agencies."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField()
    themes = models.ManyToManyField(Theme, blank=True, related_name="+")
    to_partnership = models.BooleanField(default=False)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="recommendations")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Stage(models.TextChoices):
    CASE = "case", "Case"
    NOTIFICATION = "notification", "Notification"
    RAPID_REVIEW = "rapid_review", "Rapid review"
    AGENCY_SUMMARY = "agency_summary", "Agency summary"
    PRACTICE_REVIEW = "practice_review", "Practice review"
    DRAFT_REPORT = "draft_report", "Draft report"
    FINAL_REPORT = "final_report", "Final report"


class Document(CaseRecord, models.Model):
    """A case document: what it is to the case (stage, title, the agency request it answers).

    The file itself, with its versions, checksums and encryption at rest, is a core
    `StoredFile` owned by this record (core/files): the upload checks, the storage and the
    permission-checked download are the same for every app. A document has exactly one
    stored file, made with it by `services.document_upload`; the generic relation (rather than
    a key on either side) lets the core own files without knowing which app's records own
    them, and deletes the file with the document. Who may download it is
    `reviews.files.can_download_document`, registered with the core.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    title = models.CharField(max_length=200)
    information_request = models.ForeignKey(
        InformationRequest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    # Shared by the business unit with the independent reviewer (agency summaries, rapid
    # review material); the reviewer's own drafts and reports are theirs to see anyway.
    shared_with_reviewer = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    files = GenericRelation(
        StoredFile,
        content_type_field="owner_type",
        object_id_field="owner_id",
        related_query_name="document",
    )

    class Meta:
        ordering = ["stage", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def stored_file(self) -> StoredFile | None:
        prefetched = getattr(self, "prefetched_versions", None)  # selectors.with_versions
        if prefetched:
            return prefetched[0].stored_file
        return self.files.first()

    @property
    def versions(self) -> list[FileVersion]:
        """Every version of the document's file, the current (highest) first."""
        prefetched = getattr(self, "prefetched_versions", None)
        if prefetched is not None:
            return list(prefetched)
        return list(FileVersion.objects.filter(stored_file__document=self).order_by("-number"))

    @property
    def latest(self) -> FileVersion | None:
        versions = self.versions
        return versions[0] if versions else None


def _document_path(instance, filename: str) -> str:
    # Named by migrations 0001 and 0002 (the DocumentVersion model before core/files); new
    # files are named by core/files/models.py `storage_name`.
    return f"case-documents/{instance.document.case_id}/{uuid.uuid4().hex}"


class ClockKind(models.TextChoices):
    NOTIFICATION = "notification", "Notification to the Panel"
    LOOKED_AFTER_DEATH = (
        "looked_after_death",
        "Death of a looked-after child to Ofsted and the Secretary of State",
    )
    CARE_LEAVER_DEATH = (
        "care_leaver_death",
        "Death of a care leaver to Ofsted and the Secretary of State",
    )
    RAPID_REVIEW = "rapid_review", "Rapid review to the Panel"
    INFORMATION_REQUEST = "information_request", "Agency summary"
    SEND_TO_PANEL = "send_to_panel", "Final report to the Panel and Secretary of State"
    PUBLICATION = "publication", "Publication of the practice review"


class Clock(models.Model):
    """One statutory deadline of a case, kept in step by the services.

    Stored rather than computed on every page so that the "needs attention" dashboard is one
    indexed query across thousands of cases.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField(max_length=30, choices=ClockKind.choices)
    rule = models.CharField(max_length=30)
    information_request = models.OneToOneField(
        InformationRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="clock"
    )
    start_date = models.DateField()
    due_date = models.DateField()
    description = models.CharField(max_length=200)
    done_on = models.DateField(null=True, blank=True)
    suspended = models.BooleanField(default=False)
    suspended_reason = models.CharField(max_length=300, blank=True)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(information_request__isnull=True),
                name="one_clock_per_stage",
            )
        ]
        indexes = [models.Index(fields=["partnership", "done_on", "suspended", "due_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case.reference}"


class Slippage(CaseRecord, models.Model):
    """A deadline missed or expected to be missed, with the reason (as the SCRT records)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="slippages")
    clock_kind = models.CharField(max_length=30, choices=ClockKind.choices)
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"Slippage on {self.get_clock_kind_display()}"


class ReminderSent(models.Model):
    """So each reminder (3 working days before, and on the day) goes out once."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="reminders")
    due_date = models.DateField()
    kind = models.CharField(max_length=10, choices=[("before", "Before"), ("due", "On the day")])
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clock", "due_date", "kind"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"Reminder for {self.clock} due {self.due_date}"


DEFAULT_REFERENCE_PATTERN = "{short}-{year}-{seq}"


class ReviewSettings(models.Model):
    """A partnership's own settings for case reviews: how new case references are made.

    The pattern may use {short} (the partnership's short name), {year} (the year the local
    authority became aware) and {seq} (the next number that year, three digits).
    """

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="review_settings"
    )
    reference_pattern = models.CharField(max_length=60, default=DEFAULT_REFERENCE_PATTERN)

    class Meta:
        verbose_name_plural = "review settings"

    def __str__(self) -> str:
        return f"Review settings for {self.partnership}"
