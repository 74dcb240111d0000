"""Forms of the people pages, one module per concept. Field names match the service arguments."""
