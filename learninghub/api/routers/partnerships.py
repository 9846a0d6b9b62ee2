"""Partnerships and their agencies.

Partnerships and their active agencies are public information, so reading them needs no
token. Changing an agency needs a token that may write, of the partnership's business unit or
a system administrator.

Why a write to another partnership answers 403, not 404: the pages answer 404 for a record
the person may not see, so that its existence does not leak. A partnership is public, and
anyone may read it at GET /api/partnerships/{id}; answering 404 to a write would hide
nothing and tell the client something untrue. So a partnership that exists but is not
theirs to manage answers 403 with a reason. An agency the person may not manage is looked
up only after that check, within the partnership: a missing agency, or another
partnership's, answers 404.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from learninghub.core.audit.auditor import Auditor, client_ip
from learninghub.core.permissions import require
from learninghub.partnerships import selectors, services

from ..auth import token_auth
from ..pagination import Pagination
from ..schemas import (
    AgencyCreateIn,
    AgencyOut,
    AgencyUpdateIn,
    ErrorOut,
    PartnershipOut,
    ValidationErrorOut,
)

router = Router(tags=["partnerships"])

NOT_YOURS = "Only the partnership's business unit or a system administrator can change its agencies"
# What a write can answer besides success, for the OpenAPI document.
WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _managed_partnership(request: HttpRequest, partnership_id: int):
    partnership = selectors.partnership_get(pk=partnership_id)
    require(request.auth, "partnerships.manage_partnership", partnership, forbidden=NOT_YOURS)
    return partnership


def _auditor(request: HttpRequest) -> Auditor:
    return Auditor(actor=request.auth, ip_address=client_ip(request))


@router.get(
    "/partnerships",
    response=list[PartnershipOut],
    url_name="partnership_list",
    operation_id="partnership_list",
    summary="List partnerships",
    auth=None,
)
@paginate(Pagination)
def partnership_list(request: HttpRequest):
    """Every partnership, by name, with its region and regional network."""
    return selectors.partnership_list()


@router.get(
    "/partnerships/{partnership_id}",
    response={200: PartnershipOut, 404: ErrorOut},
    url_name="partnership_detail",
    operation_id="partnership_detail",
    summary="Get a partnership",
    auth=None,
)
def partnership_detail(request: HttpRequest, partnership_id: int):
    return selectors.partnership_get(pk=partnership_id)


@router.get(
    "/partnerships/{partnership_id}/agencies",
    response=list[AgencyOut],
    url_name="agency_list",
    operation_id="agency_list",
    summary="List a partnership's agencies",
    auth=None,
)
@paginate(Pagination)
def agency_list(request: HttpRequest, partnership_id: int):
    """The agencies taking part in the partnership now, by name. A missing partnership is 404."""
    return selectors.agency_list(partnership=selectors.partnership_get(pk=partnership_id))


@router.post(
    "/partnerships/{partnership_id}/agencies",
    response={201: AgencyOut, **WRITE_ERRORS},
    url_name="agency_create",
    operation_id="agency_create",
    summary="Add an agency",
    auth=token_auth,
)
def agency_create(request: HttpRequest, partnership_id: int, payload: AgencyCreateIn):
    """Add an agency to the partnership (its business unit or a system administrator)."""
    partnership = _managed_partnership(request, partnership_id)
    agency = services.agency_create(
        auditor=_auditor(request), partnership=partnership, **payload.model_dump(mode="json")
    )
    return Status(201, agency)


@router.patch(
    "/partnerships/{partnership_id}/agencies/{agency_id}",
    response={200: AgencyOut, **WRITE_ERRORS},
    url_name="agency_update",
    operation_id="agency_update",
    summary="Change an agency",
    auth=token_auth,
)
def agency_update(
    request: HttpRequest, partnership_id: int, agency_id: int, payload: AgencyUpdateIn
):
    """Change an agency's name or type, or mark it as no longer taking part (`is_active`).

    Inactive agencies can be changed too (to bring one back), so they are found here though
    the public list leaves them out.
    """
    partnership = _managed_partnership(request, partnership_id)
    agency = selectors.agency_get_in_partnership(partnership=partnership, pk=agency_id)
    changes = payload.model_dump(mode="json", exclude_unset=True)
    if not changes:
        return agency
    current = {
        "name": agency.name,
        "agency_type": agency.agency_type,
        "is_active": agency.is_active,
    }
    return services.agency_update(auditor=_auditor(request), agency=agency, **(current | changes))
