"""Publish a document: check the PDF by its bytes, extract its text, index it, audit it."""
from django.db import transaction

from ..common import audit
from geoportal.core.attachments import DOCUMENT_TYPES, check_file
from .extract import pdf_text
from .models import AgencyDocument
from .search import vectors


@transaction.atomic
def save_document(document, user=None, upload=None):
    """Save `document` (with a new PDF `upload` if given) and refresh its search columns."""
    created = document.pk is None
    if upload is not None:
        checked = check_file(upload, "file", DOCUMENT_TYPES)
        document.file = checked.upload
        document.size = checked.size
    document.save()
    if upload is not None or created:
        document.body_text = pdf_text(document.file.path)
        document.save(update_fields=["body_text"])
    AgencyDocument.objects.filter(pk=document.pk).update(**vectors())
    audit.record(document.agency, "document", str(document.pk), "published" if created else "updated",
                 to_state="public", actor=user, title=document.title_fr)
    return document
