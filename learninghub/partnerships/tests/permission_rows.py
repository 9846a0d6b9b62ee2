from learninghub.core.tests.matrix import Row, expect, signed_in

# Pages about the business unit's own partnership: any business unit has its own.
MANAGERS_ONLY = signed_in(404, business_unit=200, other_business_unit=200)
# Pages about one record of Northdale's: only Northdale's business unit finds it.
OWN_MANAGER_ONLY = signed_in(404, business_unit=200)


def _membership(world):
    return {"pk": world.user("practitioner").memberships.get().pk}


def _other_membership(world):
    return {"pk": world.user("other_business_unit").memberships.get().pk}


def _confirmation_link(world):
    from learninghub.partnerships.services import confirmation_token
    from learninghub.partnerships.tests.factories import UserFactory

    return {"token": confirmation_token(UserFactory(email_confirmed_at=None))}


ROWS = [
    Row("partnerships:agency_list", MANAGERS_ONLY, note="own"),
    Row("partnerships:agency_create", MANAGERS_ONLY),
    Row("partnerships:agency_detail", OWN_MANAGER_ONLY, kwargs=lambda w: {"pk": w.agency.pk}),
    Row("partnerships:agency_edit", OWN_MANAGER_ONLY, kwargs=lambda w: {"pk": w.agency.pk}),
    # Another partnership's agency is found only by that partnership's business unit.
    Row(
        "partnerships:agency_detail",
        signed_in(404, other_business_unit=200),
        kwargs=lambda w: {"pk": w.other_agency.pk},
        note="other-partnership",
    ),
    Row("partnerships:people_list", MANAGERS_ONLY),
    Row("partnerships:invitation_create", MANAGERS_ONLY),
    Row("partnerships:invitation_withdraw", signed_in(404), kwargs=lambda w: {"pk": 999999}),
    Row("partnerships:membership_detail", OWN_MANAGER_ONLY, kwargs=_membership),
    Row("partnerships:membership_end", OWN_MANAGER_ONLY, kwargs=_membership),
    Row("partnerships:membership_two_factor_reset", OWN_MANAGER_ONLY, kwargs=_membership),
    Row(
        "partnerships:membership_detail",
        signed_in(404, other_business_unit=200),
        kwargs=_other_membership,
        note="other-partnership",
    ),
    Row(
        "partnerships:audit_log",
        signed_in(404, business_unit=200, other_business_unit=200, system_admin=200),
    ),
    Row("accounts:login", expect(302, anonymous=200)),
    Row("accounts:two_factor", expect(302)),
    Row("accounts:two_factor_setup", expect(302)),
    Row(
        "accounts:recovery_codes",
        expect(
            302,
            independent_reviewer=200,
            case_review_group=200,
            business_unit=200,
            other_business_unit=200,
            system_admin=200,
        ),
    ),
    # Without the password: the form again, with its error, and nothing made.
    Row(
        "accounts:recovery_codes",
        expect(
            302,
            independent_reviewer=200,
            case_review_group=200,
            business_unit=200,
            other_business_unit=200,
            system_admin=200,
        ),
        method="post",
    ),
    Row("accounts:logout", expect(405)),
    Row("accounts:logout", expect(302), method="post"),
    # Anyone with a membership lists their partnerships; a system administrator has none.
    Row("accounts:partnership_switch", signed_in(200, system_admin=404)),
    # Eastmoor named in the form: only Eastmoor's own member is switched to it (302); anyone
    # else sees the form again with its error, and no one joins a partnership by asking.
    Row(
        "accounts:partnership_switch",
        signed_in(200, other_business_unit=302, system_admin=404),
        method="post",
        data=lambda w: {"partnership": str(w.other_partnership.pk)},
        note="eastmoor",
    ),
    Row("accounts:password_reset", expect(200)),
    Row("accounts:password_reset_sent", expect(200)),
    Row(
        "accounts:password_reset_confirm",
        expect(404),
        kwargs=lambda w: {"uidb64": "MQ", "token": "not-a-token"},
    ),
    Row("accounts:register", expect(200)),
    Row("accounts:register_sent", expect(200)),
    Row("accounts:confirm_email", expect(400), kwargs=lambda w: {"token": "not-a-token"}),
    Row(
        "accounts:confirm_email",
        expect(400),
        kwargs=lambda w: {"token": "not-a-token"},
        method="post",
    ),
    # A link that works shows its form to whoever opens it; only the password confirms.
    Row("accounts:confirm_email", expect(200), kwargs=_confirmation_link, note="valid"),
    Row("accounts:confirmation_resend", expect(200)),
    # Without an address: the form again, with its error, and nothing sent.
    Row("accounts:confirmation_resend", expect(200), method="post"),
    Row("accounts:confirmation_resend_sent", expect(200)),
    Row("accounts:invitation", expect(404), kwargs=lambda w: {"token": "not-a-token"}),
]
