"""Unpacking uploads safely: size limits, zip bombs, hostile entry names, files GDAL must never see.

Limits come from settings (bytes): LAYERS_MAX_UPLOAD_BYTES for the file as
sent, LAYERS_MAX_EXTRACTED_BYTES for everything a zip expands to,
LAYERS_MAX_ZIP_ENTRIES for its entries. The request only reads a zip's
directory and the first 4 KB of each entry it keeps (check_zip: names,
declared sizes, what each entry is); the import job expands it (unpack), counting the bytes it really writes, so a
forged directory cannot slip a bomb through. Only entries whose name ends
as a format we read are written (KEPT_SUFFIXES: no .vrt, .ovr, .aux.xml…
that GDAL could follow), and each is checked by its bytes
(geoportal.core.file_formats) before GDAL opens anything.
"""
import shutil
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings

from geoportal.core.errors import InvalidParameter, TooLarge
from geoportal.core import file_formats

CHUNK = 1 << 20
SNIFF_BYTES = 4096
KEPT_SUFFIXES = frozenset(file_formats.BY_SUFFIX) - {".zip"}


def max_upload_bytes():
    return settings.LAYERS_MAX_UPLOAD_BYTES


def check_upload_size(size, name):
    if size > max_upload_bytes():
        raise TooLarge(f"{name} is {size / 1e6:.1f} MB; the limit is {max_upload_bytes() / 1e6:.0f} MB "
                       "(LAYERS_MAX_UPLOAD_BYTES): split the layer or ask the administrator to raise the limit")


def is_zip(path):
    return zipfile.is_zipfile(path)


def check_zip(path, name, sniff=True):
    """[(relative path, ZipInfo)] a zip would unpack to, from its directory and the first bytes of each kept entry
    (with `sniff`); refuses names, counts, sizes and contents that are not what their names say."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = [info for info in archive.infolist() if not info.is_dir()]
    except zipfile.BadZipFile as exc:
        raise InvalidParameter(f"{name} is not a readable zip ({exc}): zip the files again and re-upload",
                               "file") from None
    if len(entries) > settings.LAYERS_MAX_ZIP_ENTRIES:
        raise TooLarge(f"{name} holds {len(entries)} files; at most {settings.LAYERS_MAX_ZIP_ENTRIES} "
                       "(LAYERS_MAX_ZIP_ENTRIES): upload the layers one by one")
    declared = sum(info.file_size for info in entries)
    if declared > settings.LAYERS_MAX_EXTRACTED_BYTES:
        raise TooLarge(_bomb_message(name))
    kept = [(relative, info) for info in entries if (relative := _kept_name(info.filename, name)) is not None]
    if not kept:
        raise InvalidParameter(f"{name} holds no file of a format we read ({', '.join(sorted(KEPT_SUFFIXES))}): "
                               "put the layer's files in it", "file")
    if sniff:
        with zipfile.ZipFile(path) as archive:
            for _relative, info in kept:  # a few KB inflated per entry: the content must be what the name says
                file_formats.check(f"{name}: {info.filename}", _head(archive, info, name))
    return kept


def _head(archive, info, name):
    try:
        with archive.open(info) as source:
            return source.read(SNIFF_BYTES)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise InvalidParameter(f"{name}: entry {info.filename!r} cannot be unzipped ({exc})", "file") from None


def _bomb_message(name):
    return (f"{name} expands to more than {settings.LAYERS_MAX_EXTRACTED_BYTES / 1e6:.0f} MB "
            "(LAYERS_MAX_EXTRACTED_BYTES); this looks like a zip bomb or a too large delivery: upload the layers "
            "one by one")


def unpack(path, directory, name=None):
    """Put the dataset of upload `path` into `directory`; returns the list of files there (import job).

    A zip is extracted (kept entries only, bytes counted); any other file is copied. Every file written is
    checked by its bytes. Raises InvalidParameter or TooLarge naming the offending entry.
    """
    path, directory = Path(path), Path(directory)
    name = name or path.name
    directory.mkdir(parents=True, exist_ok=True)
    if not is_zip(path):
        file_formats.check_file(path, name)
        target = directory / path.name
        shutil.copyfile(path, target)
        return [target]
    kept = check_zip(path, name, sniff=False)
    budget, written, files = settings.LAYERS_MAX_EXTRACTED_BYTES, 0, []
    with zipfile.ZipFile(path) as archive:
        for relative, info in kept:
            target = directory / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(info) as source, open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        written += len(chunk)
                        if written > budget:
                            raise TooLarge(_bomb_message(name))
                        out.write(chunk)
            except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
                raise InvalidParameter(f"{name}: entry {info.filename!r} cannot be unzipped ({exc})",
                                       "file") from None
            file_formats.check_file(target, f"{name}: {info.filename}")
            files.append(target)
    return files


def _kept_name(filename, zip_name):
    """The entry name as a relative path, or None to leave it out; hostile names raise."""
    posix = PurePosixPath(filename.replace("\\", "/"))
    if posix.is_absolute() or filename[1:3] == ":/" or filename[1:3] == ":\\":
        raise InvalidParameter(f"{zip_name}: entry {filename!r} has an absolute path; zip the files with "
                               "relative paths", "file")
    if ".." in posix.parts:
        raise InvalidParameter(f"{zip_name}: entry {filename!r} climbs out of the archive with '..'; "
                               "zip the files with plain relative paths", "file")
    if "__MACOSX" in posix.parts or posix.name.startswith("._") or posix.suffix.lower() not in KEPT_SUFFIXES:
        return None  # resource forks, styles, reports, and anything GDAL could follow (.vrt, .ovr, .aux.xml…)
    return Path(*posix.parts)
