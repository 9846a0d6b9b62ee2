from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "learninghub.api"
    label = "api"
    verbose_name = "API"
