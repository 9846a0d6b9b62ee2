from .views import cases, dashboards, stages

app_name = "reviews"

urlpatterns = [*dashboards.urlpatterns, *cases.urlpatterns, *stages.urlpatterns]
