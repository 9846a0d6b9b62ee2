"""The JSON API (django-ninja) at /api/. OpenAPI at /api/openapi.json, documentation at /api/docs.

Reads of public information need no token. Writes need `Authorization: Bearer <token>` (make
one at /account/api-tokens/, or with `manage.py create_api_token`) from a token that may write,
and follow the same permission rules as the pages; a session cookie never authorises a write.
Each domain adds its endpoints as a router in `routers/`.
"""

from ninja import NinjaAPI, Swagger

from .errors import register_exception_handlers
from .routers import partnerships, reviews


class Docs(Swagger):
    """Swagger UI in our own page: `lang` set, a heading, and WCAG 2.2 AA colours and targets."""

    template = "api/docs.jinja"


api = NinjaAPI(
    title="Safeguarding Learning Hub API",
    version="1",
    description=(
        "Read and write the partnership's records with the same rules as the pages. "
        "Reading public information needs no token. Every write needs an API token, sent as "
        "`Authorization: Bearer <token>`: make one on the API tokens page of your account. "
        "A token acts as you, with your roles. It either reads only (a write with it answers "
        "403) or reads and writes, and it expires on the date you chose (90 days unless you "
        "chose otherwise, a year at most). An expired or revoked token answers 401, as an "
        "unknown one does. Your tokens are revoked when your password is reset or one of your "
        "memberships ends."
    ),
    urls_namespace="api",
    # Swagger UI from ninja's own static files (ninja is in INSTALLED_APPS), not a CDN: it
    # works offline and under our `'self'` Content Security Policy. A token typed into its
    # Authorize box is not kept in the browser's storage. Deep links are off: Swagger UI puts
    # them inside each endpoint's button, a link in a button that keyboard and screen reader
    # users cannot reach (axe: nested-interactive, target-size).
    docs=Docs(settings={"persistAuthorization": False, "deepLinking": False}),
)

api.add_router("", partnerships.router)
api.add_router("", reviews.router)

# Ninja names each operation's body parameter; clients see only the fields inside it.
register_exception_handlers(api, body_params={"payload"})
