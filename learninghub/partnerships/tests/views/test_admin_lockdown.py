"""The Django admin cannot plant a second factor, or change anything (issue 6, finding 1).

A system administrator added a recovery code to another partnership's business unit account
through the admin django-otp registers, then used it to reach a child's identifying details,
with no audit event. Every admin left is read-only, and the admin's password change is gone.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from learninghub.partnerships.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PLANTED_KEY = "3132333435363738393031323334353637383930"


@pytest.fixture
def site():
    import learninghub.urls  # noqa: F401  (anything registered while the URLs load counts too)

    return admin.site


def test_every_admin_left_is_read_only_even_for_a_superuser(world, site):
    request = RequestFactory().get("/admin/")
    request.user = world.user("system_admin")
    assert site._registry, "the admin still lets system administrators inspect records"
    for model, model_admin in site._registry.items():
        label = model._meta.label
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label
        assert model_admin.has_view_permission(request), label


def test_third_party_admins_are_unregistered(site):
    registered = {model._meta.label for model in site._registry}
    assert {model.split(".")[0] for model in registered} == {"partnerships"}
    for model in (TOTPDevice, StaticDevice, Group):
        assert not site.is_registered(model), model._meta.label


def test_a_superuser_cannot_add_an_authenticator_to_someone_elses_account(world, client_for):
    victim = world.user("other_business_unit")
    client = client_for("system_admin")
    before = TOTPDevice.objects.count()

    response = client.post(
        "/admin/otp_totp/totpdevice/add/",
        {
            "user": victim.pk,
            "name": "Planted",
            "key": PLANTED_KEY,
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "confirmed": "on",
            "throttling_failure_count": 0,
        },
    )
    assert response.status_code == 404
    assert TOTPDevice.objects.count() == before
    assert not TOTPDevice.objects.filter(user=victim).exists()
    for path in ("/admin/otp_totp/totpdevice/", "/admin/otp_totp/totpdevice/add/"):
        assert client.get(path).status_code == 404, path


def test_a_superuser_cannot_plant_a_recovery_code(world, client_for):
    victim = world.user("other_business_unit")
    client = client_for("system_admin")

    response = client.post(
        "/admin/otp_static/staticdevice/add/",
        {
            "user": victim.pk,
            "name": "Planted",
            "confirmed": "on",
            "throttling_failure_count": 0,
            "token_set-TOTAL_FORMS": 1,
            "token_set-INITIAL_FORMS": 0,
            "token_set-0-token": "planted1",
        },
    )
    assert response.status_code == 404
    assert not StaticDevice.objects.exists()
    assert not StaticToken.objects.exists()
    # Nor can the admin reach our own recovery codes, or change a person.
    assert client.get("/admin/partnerships/recoverycodedevice/add/").status_code == 404
    change = reverse("admin:partnerships_user_change", args=[victim.pk])
    response = client.post(change, {"email": victim.email, "is_superuser": "on"})
    assert response.status_code == 403
    victim.refresh_from_db()
    assert not victim.is_superuser


def test_the_admin_password_change_sends_people_to_the_audited_reset(world, client_for):
    admin_user = world.user("system_admin")
    client = client_for("system_admin")
    for name in ("admin:password_change", "admin:password_change_done"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("accounts:password_reset")

    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "admin-chosen-password-2026",
            "new_password2": "admin-chosen-password-2026",
        },
    )
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.check_password(TEST_PASSWORD)


def test_the_admin_still_needs_two_factor(db):
    # Staff with no role that needs two-factor get past the service's own check, so the admin
    # site itself must refuse them until they have passed two-factor.
    staff = UserFactory(email="staff@example.org", is_staff=True)
    client = Client()
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_admin_index_shows_only_the_read_only_records(client_for):
    page = client_for("system_admin").get(reverse("admin:index")).content.decode()
    assert "Memberships" in page
    for text in ("TOTP", "Static devices", "Groups", "Access attempts", "Task results"):
        assert text not in page, text


def test_a_plain_text_static_token_planted_another_way_does_not_sign_in(world):
    # django-otp's `addstatictoken` command (its app stays installed for a migration) can
    # still make one; the sign-in accepts only the authenticator app and hashed codes.
    victim = world.user("other_business_unit")
    planted = StaticDevice.objects.create(user=victim, name="Planted", confirmed=True)
    StaticToken.objects.create(device=planted, token="planted1")
    client = Client()
    client.post(reverse("accounts:login"), {"email": victim.email, "password": TEST_PASSWORD})
    response = client.post(reverse("accounts:two_factor"), {"token": "planted1"})
    assert response.status_code == 200
    assert "The security code is not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session
