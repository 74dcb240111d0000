"""Asylon: secure casework, documentation and evidence-based reporting."""
