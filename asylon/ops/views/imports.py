"""Pages of /imports/."""

urlpatterns: list = []
