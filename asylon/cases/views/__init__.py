"""Case pages under /cases/, one module per concept; each module lists its own `urlpatterns`."""
