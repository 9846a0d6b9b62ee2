"""Production: every secret and host from the environment; HTTPS only."""

from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from .base import *  # noqa: F403
from .base import STORAGES, env, env_bool, env_list
from .repository_keys import refusal


def required_key(name: str) -> str:
    """A secret from the environment; never missing, never one published in this repository."""
    value = env(name)
    problem = refusal(name, value)
    if problem:
        raise ImproperlyConfigured(problem)
    return value


DEBUG = False
SECRET_KEY = required_key("SECRET_KEY")
FIELD_ENCRYPTION_KEY = required_key("FIELD_ENCRYPTION_KEY")
AUDIT_LOG_KEY = required_key("AUDIT_LOG_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Links in emails (password resets, invitations, reminders) must reach the service: by
# default its HTTPS address on the first host it answers to, never the development default.
SITE_URL = env("SITE_URL") or next(
    (f"https://{host}" for host in ALLOWED_HOSTS if host != "*" and not host.startswith(".")),
    None,
)
if not SITE_URL:
    raise ImproperlyConfigured(
        "Set ALLOWED_HOSTS to the host name people use (e.g. hub.example.org), or SITE_URL to "
        "the service's address (e.g. https://hub.example.org): links in emails are built from it."
    )

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Source maps (5 MB of them, for the API documentation's viewers) are fetched only by a
# developer's browser tools; compressing them with Brotli doubled the time `collectstatic`
# takes at every release, for nothing a user sees.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# The SMTP relay: Django's defaults (localhost:25, no authentication, no TLS), except that a
# relay that stops answering fails the send after 30 seconds rather than holding the worker.
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "30"))
# Notices through GOV.UK Notify need its key and template; a typo in NOTIFY_BACKEND would
# otherwise be found only when the first email failed in the worker.
if NOTIFY_BACKEND not in {"smtp", "govuk_notify"}:  # noqa: F405
    raise ImproperlyConfigured('NOTIFY_BACKEND must be "smtp" or "govuk_notify"')
if NOTIFY_BACKEND == "govuk_notify" and not (  # noqa: F405
    GOVUK_NOTIFY_API_KEY and GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID  # noqa: F405
):
    raise ImproperlyConfigured(
        "NOTIFY_BACKEND is govuk_notify: set GOVUK_NOTIFY_API_KEY and "
        "GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID (a Notify email template with ((subject)) as "
        "its subject and ((body)) as its message)"
    )
