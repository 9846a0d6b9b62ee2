from django.contrib import admin
from django.urls import include, path

from learninghub.api.api import api

# The Django admin is for system administrators only, needs two-factor and is read-only:
# learninghub.partnerships.admin.lock_down, run when the apps are ready.

urlpatterns = [
    path("", include("learninghub.core.urls")),
    path("account/api-tokens/", include("learninghub.api.urls")),
    path("account/", include("learninghub.partnerships.account_urls")),
    path("manage/", include("learninghub.partnerships.urls")),
    path("reviews/", include("learninghub.reviews.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "learninghub.core.views.bad_request"
handler403 = "learninghub.core.views.permission_denied"
handler404 = "learninghub.core.views.page_not_found"
handler500 = "learninghub.core.views.server_error"
