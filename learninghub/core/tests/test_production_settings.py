"""Production refuses to start with a key that is missing or published in this repository.

The development, test and benchmark settings carry default keys so a fresh checkout runs;
anyone can read them, so a deployment that copied one would sign sessions, encrypt
identifying details and key the audit chain with a secret everybody has. Each check imports
the production settings in a fresh Python, as gunicorn and manage.py do at start-up.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from learninghub.settings.repository_keys import KEY_NAMES, refusal, repository_defaults

BASE_DIR = Path(__file__).resolve().parents[3]
GENERATE = 'python -c "import secrets; print(secrets.token_urlsafe(50))"'


def fresh_keys() -> dict[str, str]:
    return {name: secrets.token_urlsafe(50) for name in KEY_NAMES}


def clean_env(tmp_path, **overrides: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in KEY_NAMES and not key.startswith(("DJANGO_", "EMAIL_", "SITE_URL"))
    }
    env.update(fresh_keys())
    env.update(VAR_DIR=str(tmp_path / "var"), ALLOWED_HOSTS="hub.example.org")
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def python(script: str, env: dict[str, str], *, check: bool = False):
    """Run `script` in a fresh Python, as gunicorn and manage.py start."""
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=check,
    )


def import_production(env: dict[str, str]) -> subprocess.CompletedProcess:
    return python("import learninghub.settings.production", env)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, dict[str, str | None]]:
    """The keys the dev, test and bench settings really end up with when none is given."""
    tmp_path = tmp_path_factory.mktemp("published")
    script = (
        "import json\n"
        "from learninghub.settings import bench, dev, test\n"
        f"names = {KEY_NAMES!r}\n"
        "print(json.dumps({m.__name__.rsplit('.', 1)[1]: "
        "{k: getattr(m, k, None) for k in names} for m in (dev, test, bench)}))"
    )
    env = clean_env(tmp_path, **dict.fromkeys(KEY_NAMES))
    return json.loads(python(script, env, check=True).stdout)


def test_production_starts_with_fresh_keys(tmp_path):
    result = import_production(clean_env(tmp_path))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", KEY_NAMES)
def test_production_refuses_a_missing_key(tmp_path, name):
    result = import_production(clean_env(tmp_path, **{name: None}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name} must be set in the environment" in result.stderr
    assert GENERATE in result.stderr


@pytest.mark.parametrize("name", KEY_NAMES)
@pytest.mark.parametrize("settings_file", ["dev", "test", "bench"])
def test_production_refuses_each_key_the_repository_publishes(
    tmp_path, published, name, settings_file
):
    value = published[settings_file][name]
    if value is None:
        pytest.skip(f"settings/{settings_file}.py has no default {name}")

    result = import_production(clean_env(tmp_path, **{name: value}))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name} is a key published in this repository" in result.stderr
    assert GENERATE in result.stderr


def production_values(env: dict[str, str], *names: str) -> dict:
    script = (
        "import json\n"
        "from learninghub.settings import production\n"
        f"print(json.dumps({{n: getattr(production, n) for n in {names!r}}}))"
    )
    return json.loads(python(script, env, check=True).stdout)


def test_links_in_emails_go_to_the_services_https_address(tmp_path):
    env = clean_env(tmp_path, ALLOWED_HOSTS=".example.org, hub.example.org", SITE_URL=None)
    assert production_values(env, "SITE_URL") == {"SITE_URL": "https://hub.example.org"}
    env["SITE_URL"] = "https://learning.example.org"
    assert production_values(env, "SITE_URL") == {"SITE_URL": "https://learning.example.org"}


def test_production_refuses_to_start_with_no_address_for_its_links(tmp_path):
    result = import_production(clean_env(tmp_path, ALLOWED_HOSTS=None, SITE_URL=None))
    assert result.returncode != 0
    assert "Set ALLOWED_HOSTS to the host name people use" in result.stderr


def test_the_smtp_relay_is_configured_from_the_environment(tmp_path):
    env = clean_env(
        tmp_path,
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="hub",
        EMAIL_HOST_PASSWORD="relay-password",
        EMAIL_USE_TLS="true",
    )
    values = production_values(
        env, "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_USE_TLS"
    )
    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "hub",
        "EMAIL_USE_TLS": True,
    }


def test_notices_go_through_govuk_notify_only_with_its_key_and_template(tmp_path):
    assert production_values(clean_env(tmp_path), "NOTIFY_BACKEND") == {"NOTIFY_BACKEND": "smtp"}

    notify = {
        "NOTIFY_BACKEND": "govuk_notify",
        "GOVUK_NOTIFY_API_KEY": "hub-11111111-1111-1111-1111-111111111111-2222",
        "GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID": "33333333-3333-3333-3333-333333333333",
    }
    assert production_values(clean_env(tmp_path, **notify), "NOTIFY_BACKEND") == {
        "NOTIFY_BACKEND": "govuk_notify"
    }
    for missing in ("GOVUK_NOTIFY_API_KEY", "GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID"):
        result = import_production(clean_env(tmp_path, **{**notify, missing: None}))
        assert result.returncode != 0
        assert "NOTIFY_BACKEND is govuk_notify: set GOVUK_NOTIFY_API_KEY" in result.stderr

    result = import_production(clean_env(tmp_path, NOTIFY_BACKEND="sms"))
    assert result.returncode != 0
    assert 'NOTIFY_BACKEND must be "smtp" or "govuk_notify"' in result.stderr


@pytest.mark.parametrize("value", ["dev-only-but-changed", "test-only-x", "bench-only-" + "k" * 40])
def test_a_key_made_by_editing_a_published_one_is_refused(tmp_path, value):
    result = import_production(clean_env(tmp_path, AUDIT_LOG_KEY=value))
    assert result.returncode != 0
    assert "AUDIT_LOG_KEY is a key published in this repository" in result.stderr


def test_every_default_in_the_settings_files_is_known(published):
    """Whatever the defaults are changed to, the list production checks against follows."""
    known = repository_defaults()
    for keys in published.values():
        for name, value in keys.items():
            if value is not None:
                assert value in known, (name, value)
                assert refusal(name, value) is not None


def test_one_keys_published_default_is_refused_as_another(published):
    dev_secret_key = published["dev"]["SECRET_KEY"]
    assert refusal("FIELD_ENCRYPTION_KEY", dev_secret_key) is not None


def test_defaults_written_as_expressions_are_read(tmp_path):
    settings_dir = tmp_path / "settings"
    settings_dir.mkdir()
    (settings_dir / "dev.py").write_text(
        'SECRET_KEY = env("SECRET_KEY", "plain-" + "z" * 3)\n'
        'FIELD_ENCRYPTION_KEY = "literal-field-key"\n'
        'AUDIT_LOG_KEY = env("AUDIT_LOG_KEY", default="keyword-audit-key")\n'
        'OTHER = "not-a-key"\n'
    )
    assert repository_defaults(settings_dir) == {
        "plain-zzz",
        "literal-field-key",
        "keyword-audit-key",
    }


# The demo (`make run`): production's behaviour where a visitor can see it --------------------


def dev_settings(tmp_path, **env_overrides: str | None) -> dict:
    env = clean_env(tmp_path, **dict.fromkeys(KEY_NAMES), DEBUG=None, PORT=None, SITE_URL=None)
    env.update({k: v for k, v in env_overrides.items() if v is not None})
    script = (
        "import json\n"
        "from learninghub.settings import dev\n"
        "print(json.dumps({'DEBUG': dev.DEBUG, 'SITE_URL': dev.SITE_URL,"
        " 'WHITENOISE_USE_FINDERS': dev.WHITENOISE_USE_FINDERS}))"
    )
    return json.loads(python(script, env, check=True).stdout)


def test_the_demo_runs_with_debug_off_and_serves_its_own_static_files(tmp_path):
    settings = dev_settings(tmp_path)
    assert settings["DEBUG"] is False, "the demo shows the GOV.UK error pages, as users see them"
    assert settings["WHITENOISE_USE_FINDERS"] is True
    assert settings["SITE_URL"] == "http://127.0.0.1:8000"


def test_the_demos_links_follow_its_port(tmp_path):
    assert dev_settings(tmp_path, PORT="8123")["SITE_URL"] == "http://127.0.0.1:8123"
    assert (
        dev_settings(tmp_path, PORT="8123", SITE_URL="https://demo.example.org")["SITE_URL"]
        == "https://demo.example.org"
    )
    assert dev_settings(tmp_path, DEBUG="1")["DEBUG"] is True
