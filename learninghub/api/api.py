"""The JSON API (django-ninja). OpenAPI at /api/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Safeguarding Learning Hub API",
    version="1",
    description="Read and write the partnership's records with the same rules as the pages.",
    urls_namespace="api",
)


@api.get("/partnerships", tags=["partnerships"])
def list_partnerships(request):
    return []
