"""People pages under /people/, one module per concept; each module lists its own `urlpatterns`."""
