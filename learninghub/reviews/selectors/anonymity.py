"""What the anonymity check looks for in a case's findings, recommendations and pseudonym: the
identifying details of every child the case names (core.anonymity checks the patterns that
identify anyone as well).

Restricted material: only for the case team (`reviews.view_identifiers`), who may see it.
"""

from __future__ import annotations

from learninghub.core import anonymity
from learninghub.core.anonymity import Identifier

from ..models import Case, CaseIdentifiers


def _labels_for(pseudonym: str) -> dict[str, str]:
    """The labels a match is shown with when the case names more than one child."""
    return {
        "child_name": f"{pseudonym}'s name",
        "family_names": f"a name in {pseudonym}'s family",
        "date_of_birth": f"{pseudonym}'s date of birth",
        "address": f"{pseudonym}'s family's address",
        "school": f"{pseudonym}'s school",
    }


def case_identifiers(*, case: Case) -> list[Identifier]:
    """The identifiers of all the case's children, in one query. With one record the labels
    are the core's ("the child's name"); with several, each names its child ("Child B's
    name"), so the person can tell whose detail it is."""
    records = list(
        CaseIdentifiers.objects.filter(child__case=case)
        .select_related("child")
        .order_by("child__position")
    )
    if len(records) == 1:
        return anonymity.identifiers_from(records[0])
    return [
        identifier
        for record in records
        for identifier in anonymity.identifiers_from(record, _labels_for(record.child.pseudonym))
    ]
