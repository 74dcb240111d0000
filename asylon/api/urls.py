"""Routes of /api/v1/ (docs/api.md): the REST API and its OpenAPI schema."""

app_name = "api"
urlpatterns: list = []
