from django.conf import settings
from django.urls import path

from . import views
from .deadlines.views import needs_attention
from .files.views import file_download
from .spreadsheets import views as spreadsheet_views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("needs-attention/", needs_attention, name="needs_attention"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("healthz", views.healthz, name="healthz"),
    path("bench/floor", views.floor, name="floor"),
    path("files/<int:version_pk>/download/", file_download, name="file_download"),
    path("import/<slug:name>/", spreadsheet_views.import_upload, name="import_upload"),
    path("import/<slug:name>/<int:pk>/columns/", spreadsheet_views.import_map, name="import_map"),
    path(
        "import/<slug:name>/<int:pk>/check/",
        spreadsheet_views.import_preview,
        name="import_preview",
    ),
    path(
        "import/<slug:name>/<int:pk>/done/", spreadsheet_views.import_result, name="import_result"
    ),
]

# The benchmark's signed-in baseline: routed only where settings/bench.py turns it on, so no
# other deployment serves it.
if getattr(settings, "BENCH_FLOOR_PAGE", False):
    urlpatterns.append(path("bench/layout-floor", views.layout_floor, name="bench_floor"))
