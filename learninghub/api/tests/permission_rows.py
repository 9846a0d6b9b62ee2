from learninghub.api.tests.factories import make_token
from learninghub.core.tests.matrix import Row, expect, signed_in

# Session clients only: a session cookie never authorises an API write, so every write answers
# 401 to everyone here (test_api_writes.py covers what a token can do).
NEEDS_TOKEN = expect(401)
# Only those who may hold tokens (business unit members, system administrators) see the pages.
TOKEN_HOLDERS = signed_in(404, business_unit=200, other_business_unit=200, system_admin=200)


def _partnership(world):
    return {"partnership_id": world.partnership.pk}


def _business_unit_token(world):
    return {"pk": make_token(world.user("business_unit"))[0].pk}


def _agency(world):
    return {"partnership_id": world.partnership.pk, "agency_id": world.agency.pk}


ROWS = [
    # The API: public reads, token writes.
    Row("api:openapi-json", expect(200)),
    Row("api:openapi-view", expect(200)),
    Row("api:api-root", expect(404)),
    Row("api:partnership_list", expect(200)),
    Row("api:partnership_detail", expect(200), kwargs=_partnership),
    Row(
        "api:partnership_detail",
        expect(404),
        kwargs=lambda w: {"partnership_id": 999999},
        note="missing",
    ),
    Row("api:agency_list", expect(200), kwargs=_partnership),
    Row("api:agency_create", NEEDS_TOKEN, kwargs=_partnership, method="post"),
    Row("api:agency_update", NEEDS_TOKEN, kwargs=_agency, method="patch"),
    # Reading an agency one at a time is not an endpoint (yet).
    Row("api:agency_update", expect(405), kwargs=_agency, note="no-get"),
    # API tokens: each person's own.
    Row("api_tokens:token_list", TOKEN_HOLDERS),
    Row("api_tokens:token_create", TOKEN_HOLDERS),
    Row(
        "api_tokens:token_revoke",
        signed_in(404, business_unit=200),
        kwargs=_business_unit_token,
        note="own",
    ),
    Row("api_tokens:token_revoke", signed_in(404), kwargs=lambda w: {"pk": 999999}, note="missing"),
]
