from .views import cases, corrections, dashboards, exports, intake, meeting, milestones, stages
from .views import requests as agency_requests

app_name = "reviews"

urlpatterns = [
    *dashboards.urlpatterns,
    *intake.urlpatterns,
    *cases.urlpatterns,
    *stages.urlpatterns,
    *meeting.urlpatterns,
    *corrections.urlpatterns,
    *milestones.urlpatterns,
    *agency_requests.urlpatterns,
    *exports.urlpatterns,
]
