"""Check attachments before anything is stored: size, count, and type by their content (never the extension):
the magic bytes say what a file claims to be, file_content.py checks that it is wholly that (polyglots refused).

Used by the e-services (complaints, documents) and by the plans' decree and règlement PDFs (plans.lifecycle).
Limits come from settings: ESERVICES_MAX_ATTACHMENT_BYTES (default 10 MiB per file),
ESERVICES_MAX_ATTACHMENTS (default 5 per request).
"""
from dataclasses import dataclass

import filetype
from django.conf import settings

from geoportal.core.errors import InvalidParameter, TooLarge

from . import file_content as content

# What citizens and staff attach: scans and photos, and PDFs.
ALLOWED = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}
DOCUMENT_TYPES = {"application/pdf": "pdf"}


@dataclass(frozen=True)
class CheckedFile:
    upload: object
    mime: str
    extension: str
    size: int


def max_bytes():
    return settings.ESERVICES_MAX_ATTACHMENT_BYTES


def check_file(upload, field="attachments", allowed=ALLOWED):
    """Size and content type of one uploaded file; raises TooLarge / InvalidParameter naming the file."""
    limit = max_bytes()
    if upload.size > limit:
        raise TooLarge(
            f"file {upload.name!r} is {upload.size} bytes; the limit is {limit} bytes ({limit // (1024 * 1024)} MiB): "
            "compress or split it.", field)
    if upload.size == 0:
        raise InvalidParameter(f"file {upload.name!r} is empty.", field)
    upload.seek(0)
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else "unknown"
    if mime not in allowed:
        accepted = ", ".join(sorted(set(allowed.values()))).upper()
        raise InvalidParameter(
            f"file {upload.name!r} is not an accepted type: its content is {mime} whatever its name says; "
            f"accepted: {accepted}.", field)
    data = upload.read()
    upload.seek(0)
    content.check(upload.name, data, mime, field)
    return CheckedFile(upload=upload, mime=mime, extension=allowed[mime], size=upload.size)


def check_files(uploads, field="attachments", allowed=ALLOWED):
    """Check every file of a request before any is stored, so that a bad one loses nothing."""
    limit = settings.ESERVICES_MAX_ATTACHMENTS
    if len(uploads) > limit:
        raise TooLarge(f"{len(uploads)} files sent; at most {limit} are accepted per request.", field)
    return [check_file(upload, field, allowed) for upload in uploads]
