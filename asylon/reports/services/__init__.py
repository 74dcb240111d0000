"""Reports and statistics: writes, one module per concept."""
