"""Forms of the case pages, one module per concept. Field names match the service arguments."""
