"""What an attachment really is: checked by its whole content, never by its name or its first bytes alone.

A file is accepted only when it is wholly one thing (a polyglot, valid as
two formats at once, is refused):

- PNG: every chunk walked to IEND with its CRC checked, nothing after IEND,
  and every pixel decoded by Pillow;
- JPEG: every segment walked to the end-of-image marker, nothing but NUL
  padding after it, and every pixel decoded by Pillow;
- PDF: parsed by pypdf (strict: header at byte 0, cross-reference table,
  trailer, every object reachable from it), with no active content
  (JavaScript, launch, submit or import actions, embedded files, XFA forms,
  rich media), not encrypted, and nothing after its last %%EOF;
- any of them: no HTML or script markup anywhere in the bytes (what a
  browser or a viewer sniffing the file would run), and no zip directory in
  the last 64 KiB (where zip readers look for one: a zip appended to an
  image or hidden in a PDF).

Images larger than MAX_PIXELS are refused before they are decoded.
"""
import io
import re
import threading
import warnings
import zlib

from PIL import Image, ImageFile

from .errors import InvalidParameter

MAX_PIXELS = 50_000_000  # a 50-megapixel photo; decoding it takes ~150 MB
# Markup a browser runs, as HTML writes it; specific enough never to occur by chance in compressed data
# (about 1 in 30,000 for 10 MB of random bytes).
MARKUP = re.compile(rb"<(?:script|html|body|iframe|object|embed|style|meta|link|form|base)[\s>/]"
                    rb"|<(?:svg|img|a)\s+[a-z-]{2,}\s*=|<!doctype\s|<\?php\s|javascript:|vbscript:", re.IGNORECASE)
ZIP_DIRECTORY = re.compile(rb"PK\x05\x06|PK\x06\x06|PK\x06\x07")
ZIP_TAIL = 65_557  # the end-of-central-directory record and the longest comment a zip may end with
PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/XFA", "/RichMedia",
                   "/Launch"}
PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/GoToE",
                      "/Rendition", "/Sound", "/Movie"}
PDF_MAX_OBJECTS = 500_000
_STRICT_PILLOW = threading.Lock()


class Refused(Exception):
    """Why a file's content is not what it claims (a sentence for the person who sent it)."""


def check(name, data, mime, field="attachments"):
    """Raise InvalidParameter naming `name` unless `data` is wholly a file of type `mime`."""
    try:
        _no_markup(data)
        _no_zip(data)
        _CHECKS[mime](data)
    except Refused as reason:
        raise InvalidParameter(f"file {name!r} is refused: {reason}. Save it again as a plain "
                               f"{mime.split('/')[1].upper()} (print to PDF, export the photo) and send that.",
                               field) from None


def _no_markup(data):
    found = MARKUP.search(data)
    if found:
        raise Refused(f"it contains HTML or script markup ({found.group().decode('latin-1').strip()!r} at byte "
                      f"{found.start()}), which a browser could run")


def _no_zip(data):
    if ZIP_DIRECTORY.search(data, max(0, len(data) - ZIP_TAIL)):
        raise Refused("it ends with a zip archive (a file hidden inside another)")


def _png(data):
    view, pos = memoryview(data), 8
    while True:
        if pos + 12 > len(data):
            raise Refused("the PNG is truncated (no IEND chunk)")
        length, kind = int.from_bytes(view[pos:pos + 4], "big"), bytes(view[pos + 4:pos + 8])
        end = pos + 12 + length
        if end > len(data) or zlib.crc32(view[pos + 4:end - 4]) != int.from_bytes(view[end - 4:end], "big"):
            raise Refused(f"its PNG chunk {kind!r} at byte {pos} is truncated or corrupt")
        pos = end
        if kind == b"IEND":
            break
    if pos != len(data):
        raise Refused(f"{len(data) - pos} bytes follow the end of the PNG image")
    _decode(data, "PNG")


def _jpeg(data):
    pos, size = 2, len(data)
    while True:
        if pos + 2 > size or data[pos] != 0xFF:
            raise Refused(f"the JPEG is truncated or corrupt at byte {pos}")
        marker = data[pos + 1]
        if marker == 0xD9:  # end of image
            break
        if marker == 0xFF or marker == 0x01 or 0xD0 <= marker <= 0xD7:  # fill byte, TEM, restarts: no length
            pos += 1 if marker == 0xFF else 2
            continue
        pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next marker (FF00 is a stuffed byte)
            while (pos := data.find(b"\xff", pos)) >= 0 and pos + 1 < size and (
                    data[pos + 1] == 0x00 or 0xD0 <= data[pos + 1] <= 0xD7):
                pos += 2
            if pos < 0:
                raise Refused("the JPEG is truncated (no end-of-image marker)")
    trailing = data[pos + 2:]
    if trailing.strip(b"\x00"):
        raise Refused(f"{len(trailing)} bytes follow the end of the JPEG image")
    _decode(data, "JPEG")


def _decode(data, expected):
    # WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES on import (it pads what is missing): a
    # truncated image must fail here whatever else the process renders, so it is off while this decodes.
    with _STRICT_PILLOW, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            with Image.open(io.BytesIO(data), formats=[expected]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise Refused(f"the image is {width} × {height} pixels; at most {MAX_PIXELS:,} are accepted")
                image.load()
        except Refused:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever the decoder says, the image does not decode
            raise Refused(f"the {expected} image does not decode ({exc})") from None
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def _pdf(data):
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if not data.startswith(b"%PDF-"):
        raise Refused("a PDF starts with %PDF- at its first byte")
    end = data.rfind(b"%%EOF")
    if end < 0 or data[end + 5:].strip():
        raise Refused("data follows the end of the PDF (%%EOF)" if end >= 0 else "the PDF has no %%EOF: truncated")
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted:
            raise Refused("the PDF is encrypted; remove its password")
        pending, seen = [reader.trailer], set()
        while pending:
            item = pending.pop()
            if isinstance(item, IndirectObject):
                if (item.idnum, item.generation) in seen:
                    continue
                seen.add((item.idnum, item.generation))
                if len(seen) > PDF_MAX_OBJECTS:
                    raise Refused(f"the PDF has more than {PDF_MAX_OBJECTS:,} objects")
                pending.append(item.get_object())
            elif isinstance(item, DictionaryObject):
                _pdf_passive(item)
                pending.extend(item.values())
            elif isinstance(item, ArrayObject):
                pending.extend(item)
        len(reader.pages)
    except Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf's reason, whatever it is
        raise Refused(f"the PDF does not parse ({exc})") from None


def _pdf_passive(dictionary):
    active = PDF_ACTIVE_KEYS.intersection(dictionary)
    if active:
        raise Refused(f"the PDF carries active content ({', '.join(sorted(active))})")
    if dictionary.get("/S") in PDF_ACTIVE_ACTIONS:
        raise Refused(f"the PDF carries active content (an action that runs something: {dictionary['/S']})")


_CHECKS = {"image/png": _png, "image/jpeg": _jpeg, "application/pdf": _pdf}
