"""Files only some people may read (complaint attachments): outside MEDIA_ROOT, never at a URL.

They live under settings.PRIVATE_MEDIA_ROOT (default var/private), a folder
no web server serves: a view reads them after checking who asks, and answers
with download(). Their names are chosen by the server (server_name(): a
random identifier and the extension of the type their content was checked
to be); the name the sender gave is kept in the database, for display only.
"""
import os
import re
import uuid
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


@deconstructible
class PrivateStorage(FileSystemStorage):
    """FileSystemStorage rooted at settings.PRIVATE_MEDIA_ROOT (read when used, so tests may move it); no URL."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError(f"{name} is a private file: it has no URL; serve it through a view that checks who asks")


def private_storage():
    return PrivateStorage()


def server_name(folder, extension):
    """A name no sender chose: `folder`/<32 random hex digits>.<extension>."""
    return f"{folder}/{uuid.uuid4().hex}.{extension}"


def display_name(name, limit=200):
    """The sender's file name, for display and downloads: its last path part, without control characters."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    return _CONTROL.sub("", base).strip()[:limit] or "fichier"


def download(file, filename, content_type):
    """A private file as a download that no browser renders or sniffs, and no shared cache keeps."""
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
