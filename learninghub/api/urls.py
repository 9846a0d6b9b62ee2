app_name = "api_tokens"

urlpatterns: list = []
