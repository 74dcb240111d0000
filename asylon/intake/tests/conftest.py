import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test stores its encrypted blobs in its own directory, so files can be counted."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
