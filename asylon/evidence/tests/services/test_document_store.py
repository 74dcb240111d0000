import hashlib
import io

import pikepdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from asylon.audit.models import AuditEntry
from asylon.evidence.models import CustodyEntry, Document
from asylon.evidence.services import document_content, document_store
from asylon.evidence.storage import blob_read
from asylon.evidence.tests import samples
from tests.factories import person_on_case


def store(actor, case, data, filename, content_type, **fields):
    return document_store(actor=actor, case=case, data=data, filename=filename, content_type=content_type, **fields)


def assert_nothing_stored(media):
    assert not Document.objects.exists()
    assert not CustodyEntry.objects.exists()
    assert not AuditEntry.objects.filter(action="document.store").exists()
    assert samples.stored_blobs(media) == []


def test_a_jpeg_comes_out_without_exif_and_turned_upright(case, caseworker, private_media):
    received = samples.jpeg_with_gps(size=(40, 20))
    document = store(caseworker, case, received, "photo.JPG", "image/jpeg", description="Summons photo")

    content = blob_read(document)
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG" and image.size == (20, 40)  # orientation 6 applied
    assert not image.getexif() and "exif" not in image.info and "comment" not in image.info
    assert samples.AUTHOR.encode() not in content and b"TestCam" not in content
    assert document.received_sha256 == hashlib.sha256(received).hexdigest()
    assert document.sha256 == hashlib.sha256(content).hexdigest() != document.received_sha256
    assert (document.content_type, document.size, document.filename) == ("image/jpeg", len(content), "photo.JPG")
    assert samples.stored_blobs(private_media) == [document.blob_name]


def test_a_pdf_comes_out_without_info_xmp_scripts_or_attachments(case, caseworker):
    document = store(caseworker, case, samples.pdf_with_metadata(), "decision.pdf", "application/pdf")

    content = blob_read(document)
    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root
        assert "/OpenAction" not in pdf.Root
        assert not pdf.attachments
        assert len(pdf.pages) == 1
    assert samples.AUTHOR.encode() not in content and b"attached secret" not in content


def test_plain_text_is_kept_as_received_with_equal_digests(case, caseworker):
    text = "Позва. З'явіцца ў ваенкамат.\n".encode()
    document = store(caseworker, case, text, "позва.txt", "text/plain")
    assert blob_read(document) == text
    assert document.received_sha256 == document.sha256 == hashlib.sha256(text).hexdigest()


def test_custody_begins_with_received_and_the_store_is_audited(case, caseworker):
    document = store(caseworker, case, samples.jpeg_with_gps(), "photo.jpg", "image/jpeg")
    entry = CustodyEntry.objects.get(document=document)
    assert (entry.action, entry.actor) == ("received", caseworker)
    audit = AuditEntry.objects.get(action="document.store", target_id=str(document.pk))
    assert audit.actor_id == caseworker.pk
    assert audit.details["content_type"] == "image/jpeg" and audit.details["metadata_stripped"] is True
    assert "photo" not in str(audit.details)


@pytest.mark.parametrize(
    ("data", "filename", "content_type", "code"),
    [
        (samples.png(), "photo.jpg", "image/jpeg", "mismatch"),  # extension and declared type say JPEG
        (samples.png(), "map.png", "image/jpeg", "mismatch"),  # declared type disagrees
        (samples.plain_pdf(), "decision.txt", "text/plain", "mismatch"),
        (b"\x00\x01\x02binary", "notes.txt", "text/plain", "type"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "x.gif", "image/gif", "type"),
        (
            samples.docx(),
            "letter.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "office",
        ),
    ],
)
def test_a_file_outside_the_allow_list_or_mismatched_is_refused(
    case, caseworker, private_media, data, filename, content_type, code
):
    with pytest.raises(ValidationError) as raised:
        store(caseworker, case, data, filename, content_type)
    assert raised.value.error_dict["data"][0].code == code
    assert_nothing_stored(private_media)


def test_an_oversize_file_is_refused(case, caseworker, settings, private_media):
    settings.ASYLON_MAX_DOCUMENT_BYTES = 100
    with pytest.raises(ValidationError) as raised:
        store(caseworker, case, b"a" * 101, "long.txt", "text/plain")
    assert "larger than the limit" in raised.value.message_dict["data"][0]
    assert_nothing_stored(private_media)


def test_an_empty_file_is_refused(case, caseworker, private_media):
    with pytest.raises(ValidationError) as raised:
        store(caseworker, case, b"", "empty.txt", "text/plain")
    assert raised.value.message_dict["data"] == ["The file is empty."]
    assert_nothing_stored(private_media)


def test_an_undecodable_image_is_refused_and_nothing_is_written(case, caseworker, private_media):
    broken = samples.jpeg_with_gps()[:200]  # the magic number survives, the picture does not
    with pytest.raises(ValidationError) as raised:
        store(caseworker, case, broken, "photo.jpg", "image/jpeg")
    assert raised.value.error_dict["data"][0].code == "unreadable"
    assert_nothing_stored(private_media)


def test_a_damaged_pdf_is_refused(case, caseworker, private_media):
    with pytest.raises(ValidationError):
        store(caseworker, case, b"%PDF-1.7\nthis is not a pdf", "decision.pdf", "application/pdf")
    assert_nothing_stored(private_media)


def test_the_person_must_be_a_party_and_the_event_of_the_case(case, caseworker, organisation, private_media):
    from tests.factories import case_with_member

    stranger = person_on_case(case_with_member(organisation, caseworker))
    with pytest.raises(ValidationError) as raised:
        store(caseworker, case, samples.png(), "map.png", "image/png", person=stranger)
    assert "person" in raised.value.message_dict
    assert_nothing_stored(private_media)


def test_a_folder_in_the_name_is_dropped(case, caseworker):
    document = store(caseworker, case, b"text", "C:\\Users\\ivan\\notes.txt", "text/plain")
    assert document.filename == "notes.txt"


def test_only_case_writers_may_store(case, outsider, analyst, private_media):
    for actor in (outsider, analyst):
        with pytest.raises(PermissionDenied):
            store(actor, case, samples.png(), "map.png", "image/png")
    assert_nothing_stored(private_media)


def test_content_is_given_to_the_cleared_with_custody_and_audit(case, caseworker, lawyer):
    document = store(caseworker, case, samples.png(), "map.png", "image/png")
    assert document_content(actor=lawyer, document=document) == blob_read(document)
    assert CustodyEntry.objects.filter(document=document, action="downloaded", actor=lawyer).count() == 1
    assert AuditEntry.objects.filter(action="document.downloaded", target_id=str(document.pk)).count() == 1


def test_a_viewer_may_not_read_the_content(case, caseworker, organisation):
    from asylon.accounts.models import Role
    from tests.factories import staff

    viewer = staff(organisation, Role.VIEWER)
    case.memberships.create(organisation=organisation, user=viewer)
    document = store(caseworker, case, samples.png(), "map.png", "image/png")
    with pytest.raises(PermissionDenied):
        document_content(actor=viewer, document=document)
    assert not CustodyEntry.objects.filter(action="downloaded").exists()


def test_a_password_protected_pdf_is_refused(case, caseworker, private_media):
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(samples.plain_pdf())) as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(owner="owner", user="secret"))
    with pytest.raises(ValidationError) as raised:
        store(caseworker, case, buffer.getvalue(), "locked.pdf", "application/pdf")
    assert raised.value.error_dict["data"][0].code == "encrypted"
    assert_nothing_stored(private_media)


def test_a_webp_is_accepted_and_re_encoded(case, caseworker):
    buffer = io.BytesIO()
    Image.new("RGB", (6, 6), "teal").save(buffer, "WEBP", exif=Image.Exif().tobytes())
    document = store(caseworker, case, buffer.getvalue(), "scan.webp", "image/webp")
    assert Image.open(io.BytesIO(blob_read(document))).format == "WEBP"
