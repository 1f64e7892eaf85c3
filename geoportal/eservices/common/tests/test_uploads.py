"""Attachments are checked by their bytes and size before anything is stored."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from geoportal.core.errors import InvalidParameter, TooLarge
from geoportal.core.tracking_secrets import hash_secret, secret_matches
from geoportal.eservices.common.numbering import next_number
from geoportal.core.attachments import DOCUMENT_TYPES, check_file, check_files
from geoportal.eservices.conftest import DISGUISED


def test_pdf_and_png_are_recognised_by_content_whatever_their_name(pdf_bytes, png_bytes):
    assert check_file(SimpleUploadedFile("scan.bin", pdf_bytes)).mime == "application/pdf"
    assert check_file(SimpleUploadedFile("photo.pdf", png_bytes)).mime == "image/png"


def test_a_disguised_executable_is_refused_naming_the_file():
    with pytest.raises(InvalidParameter, match=r"'plan\.pdf' is not an accepted type.*application/x-msdownload"):
        check_file(SimpleUploadedFile("plan.pdf", DISGUISED))


def test_an_image_is_not_a_document(png_bytes):
    with pytest.raises(InvalidParameter, match="accepted: PDF"):
        check_file(SimpleUploadedFile("loi.pdf", png_bytes), "file", DOCUMENT_TYPES)


def test_size_and_count_limits(settings, pdf_bytes):
    settings.ESERVICES_MAX_ATTACHMENT_BYTES = len(pdf_bytes) - 1
    with pytest.raises(TooLarge, match=f"is {len(pdf_bytes)} bytes; the limit is {len(pdf_bytes) - 1}"):
        check_file(SimpleUploadedFile("big.pdf", pdf_bytes))
    settings.ESERVICES_MAX_ATTACHMENTS = 1
    with pytest.raises(TooLarge, match="2 files sent; at most 1"):
        check_files([SimpleUploadedFile("a.pdf", b"%PDF-1.4"), SimpleUploadedFile("b.pdf", b"%PDF-1.4")])
    with pytest.raises(InvalidParameter, match="empty"):
        check_file(SimpleUploadedFile("zero.pdf", b""))


@pytest.mark.django_db
def test_numbers_are_sequential_per_prefix_and_agency(aut, aug):
    first, second = next_number("TST", aut), next_number("TST", aut)
    assert first.startswith("TST-AUT-") and int(second[-5:]) == int(first[-5:]) + 1
    assert next_number("TST", aug).endswith("-00001")


def test_only_the_hash_of_a_secret_is_kept():
    digest = hash_secret("s3cret")
    assert "s3cret" not in digest and secret_matches("s3cret", digest)
    assert not secret_matches("wrong", digest) and not secret_matches("", digest)


def test_a_truncated_image_fails_even_after_weasyprint_made_pillow_lenient(png_bytes):
    import weasyprint  # noqa: F401 - its import sets Pillow's process-wide LOAD_TRUNCATED_IMAGES
    from PIL import ImageFile

    from geoportal.eservices.complaints.tests.hostile_files import png_declaring

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    with pytest.raises(InvalidParameter, match="does not decode"):
        check_file(SimpleUploadedFile("photo.png", png_declaring(64, 64)))
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # left as WeasyPrint wants it
    assert check_file(SimpleUploadedFile("photo.png", png_bytes)).mime == "image/png"
