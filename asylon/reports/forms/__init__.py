"""Reports and statistics: forms, one module per concept."""
