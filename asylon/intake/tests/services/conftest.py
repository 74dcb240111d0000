def stored_blobs(media):
    folder = media / "intake"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def submit(organisation, **fields):
    """A submission through the public service, with plausible fictional values unless given."""
    from asylon.intake.services.submissions import submission_create

    values = {
        "organisation": organisation,
        "language": "en",
        "name": "Test Person",
        "contact": "email: person@example.org",
        "situations": ["summons_issued"],
        "deadline_on": None,
        "text": "A summons arrived at my parents' address.",
        "files": [],
    }
    values.update(fields)
    return submission_create(**values)
