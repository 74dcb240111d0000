"""Reports and statistics: views, one module per concept."""
