"""Settings: base (shared), production (manage.py, the asylon CLI, make run/demo) and test (pytest)."""
