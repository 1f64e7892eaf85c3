"""Unpacking uploads safely: size limits, zip bombs, hostile entry names.

Limits come from settings (bytes): LAYERS_MAX_UPLOAD_BYTES for the file as
sent, LAYERS_MAX_EXTRACTED_BYTES for everything a zip expands to. The
uncompressed size is counted while extracting, not trusted from the zip
directory, so a forged header cannot slip a bomb through.
"""
import shutil
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings

from api.errors import InvalidParameter, TooLarge

CHUNK = 1 << 20


def max_upload_bytes():
    return settings.LAYERS_MAX_UPLOAD_BYTES


def check_upload_size(size, name):
    if size > max_upload_bytes():
        raise TooLarge(f"{name} is {size / 1e6:.1f} MB; the limit is {max_upload_bytes() / 1e6:.0f} MB "
                       "(LAYERS_MAX_UPLOAD_BYTES): split the layer or ask the administrator to raise the limit")


def unpack(path, directory):
    """Put the dataset of upload `path` into `directory`; returns the list of files there.

    A zip is extracted (entries checked one by one); any other file is copied.
    Raises InvalidParameter or TooLarge naming the offending entry.
    """
    path, directory = Path(path), Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if not zipfile.is_zipfile(path):
        target = directory / path.name
        shutil.copyfile(path, target)
        return [target]
    try:
        with zipfile.ZipFile(path) as archive:
            return _extract(archive, directory, path.name)
    except zipfile.BadZipFile as exc:
        raise InvalidParameter(f"{path.name} is not a readable zip ({exc}): zip the files again and re-upload",
                               "file") from None


def _extract(archive, directory, name):
    budget = settings.LAYERS_MAX_EXTRACTED_BYTES
    written = 0
    files = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        relative = _safe_name(info.filename, name)
        if relative is None:  # macOS resource forks and the like
            continue
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, open(target, "wb") as out:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                if written > budget:
                    raise TooLarge(f"{name} expands to more than {budget / 1e6:.0f} MB "
                                   "(LAYERS_MAX_EXTRACTED_BYTES); this looks like a zip bomb or a too large "
                                   "delivery: upload the layers one by one")
                out.write(chunk)
        files.append(target)
    if not files:
        raise InvalidParameter(f"{name} is an empty zip: put the layer's files in it", "file")
    return files


def _safe_name(filename, zip_name):
    """The entry name as a relative path, or None to skip it; hostile names raise."""
    posix = PurePosixPath(filename.replace("\\", "/"))
    if posix.is_absolute() or filename[1:3] == ":/" or filename[1:3] == ":\\":
        raise InvalidParameter(f"{zip_name}: entry {filename!r} has an absolute path; zip the files with "
                               "relative paths", "file")
    if ".." in posix.parts:
        raise InvalidParameter(f"{zip_name}: entry {filename!r} climbs out of the archive with '..'; "
                               "zip the files with plain relative paths", "file")
    if "__MACOSX" in posix.parts or posix.name.startswith("._"):
        return None
    return Path(*posix.parts)
