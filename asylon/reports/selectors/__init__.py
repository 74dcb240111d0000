"""Reports and statistics: reads, one module per concept."""
