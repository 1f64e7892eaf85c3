"""What an uploaded file is, decided by its bytes before GDAL sees it; the name must agree.

Each format we accept names the GDAL drivers allowed to open it. A file
whose content is anything else (an OGR/GDAL VRT under a .kml name, a zip
named .geojson, XML that is not KML…) is refused with a message naming the
expected format and what the content looks like — never a GDAL message
about another path, so an error says nothing of what exists on the server.
geoportal.gdal_guard makes sure no other driver exists in the process.
"""
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidParameter

HEAD_BYTES = 64 * 1024
_XML_PROLOGUE = re.compile(rb"\A(?:\s+|<\?xml[^>]*\?>|<!--.*?-->)*", re.S)
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_DXF_START = re.compile(rb"\A(?:\s*999\r?\n[^\n]*\n)*\s*0\r?\n\s*SECTION\s", re.S)
_NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")
_GPKG_IDS = {b"GPKG", b"GP10", b"GP11", b"\x00\x00\x00\x00"}
_DBF_VERSIONS = {0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8B, 0x8E, 0xCB, 0xE5, 0xF5, 0xFB}


def _strip_bom(head):
    return head[3:] if head.startswith(b"\xef\xbb\xbf") else head


# A GeoJSON "crs" link makes GDAL fetch the URL; a /vsi… path names another file. No delivery needs either.
_JSON_REFERENCE = re.compile(rb'"type"\s*:\s*"link"|/vsi[a-z0-9_]+[/?]', re.IGNORECASE)


def _json(head):
    return _strip_bom(head).lstrip()[:1] == b"{"


def _geojson(head):
    return _json(head) and _JSON_REFERENCE.search(head) is None


def _topojson(head):
    return _geojson(head) and re.search(rb'"type"\s*:\s*"Topology"', head) is not None


def xml_root(head):
    """The name of the root element of an XML document's head, or None."""
    body = _strip_bom(head)
    rest = body[_XML_PROLOGUE.match(body).end():]
    match = _XML_ROOT.match(rest)
    return match.group(1).decode("ascii", "replace") if match else None


def _kml(head):
    root = xml_root(head)
    return root is not None and root.split(":")[-1] == "kml" and b"<!DOCTYPE" not in head and b"<!ENTITY" not in head


def _text(head):
    if b"\x00" in head:
        return False
    try:
        _strip_bom(head).decode("utf-8")
    except UnicodeDecodeError:
        try:
            head.decode("latin-1")
        except UnicodeDecodeError:
            return False
    return True


def _world_file(head):
    lines = [line for line in _strip_bom(head).decode("latin-1").splitlines() if line.strip()]
    return _text(head) and len(lines) == 6 and all(_NUMBER.match(line) for line in lines)


def _dbf(head):
    return len(head) >= 32 and head[0] in _DBF_VERSIONS and int.from_bytes(head[8:10], "little") >= 33


@dataclass(frozen=True)
class Format:
    """A file format we accept: its name for users, file name endings, GDAL drivers, and a test of its bytes."""

    label: str
    suffixes: tuple
    drivers: tuple
    sniff: object

    def matches(self, head):
        return bool(head) and self.sniff(head)


FORMATS = (
    Format("GeoJSON", (".geojson", ".json"), ("GeoJSON", "TopoJSON"), _geojson),
    Format("TopoJSON", (".topojson",), ("TopoJSON",), _topojson),
    Format("KML", (".kml",), ("KML",), _kml),
    Format("GeoPackage", (".gpkg",), ("GPKG",),
           lambda h: h.startswith(b"SQLite format 3\x00") and h[68:72] in _GPKG_IDS),
    Format("DXF", (".dxf",), ("DXF",), lambda h: bool(_DXF_START.match(h)) or h.startswith(b"AutoCAD Binary DXF")),
    Format("ESRI Shapefile", (".shp", ".shx"), ("ESRI Shapefile",), lambda h: h[:4] == b"\x00\x00\x27\x0a"),
    Format("dBASE table of a Shapefile", (".dbf",), ("ESRI Shapefile",), _dbf),
    Format("Shapefile projection or code page (text)", (".prj", ".cpg"), (), _text),
    Format("GeoTIFF", (".tif", ".tiff"), ("GTiff",),
           lambda h: h[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")),
    Format("PNG image", (".png",), ("PNG",), lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")),
    Format("JPEG image", (".jpg", ".jpeg"), ("JPEG",), lambda h: h.startswith(b"\xff\xd8\xff")),
    Format("world file", (".tfw", ".tifw", ".pgw", ".jgw", ".wld"), (), _world_file),
    Format("zip archive", (".zip",), (), lambda h: h[:4] in (b"PK\x03\x04", b"PK\x05\x06")),
)
BY_SUFFIX = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}


def suffix_of(name):
    return Path(name or "").suffix.lower()


def format_for(name):
    """The Format a file name promises, or None."""
    return BY_SUFFIX.get(suffix_of(name))


def describe(head):
    """What `head` looks like, in a few words, for an error message."""
    if not head:
        return "empty"
    if _json(head):
        return "JSON pointing at another document (a \"crs\" link or a /vsi… path)" \
            if _JSON_REFERENCE.search(head) else "JSON"
    for marker, words in ((b"<OGRVRTDataSource", "an OGR virtual dataset (VRT), which may point at other files"),
                          (b"<VRTDataset", "a GDAL virtual raster (VRT), which may point at other files")):
        if marker in head[:HEAD_BYTES]:
            return words
    for fmt in FORMATS:
        if fmt.sniff is not _text and fmt.sniff is not _world_file and fmt.matches(head):
            return f"a {fmt.label}" if fmt.label[0] not in "AEIOU" else f"an {fmt.label}"
    root = xml_root(head)
    if root:
        return f"an XML document with root <{root[:40]}>"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    return "text of another kind" if _text(head[:4096]) else "binary data of another kind"


def check(name, head, expected=None):
    """The Format of a file named `name` whose first bytes are `head`; InvalidParameter (400) if they disagree.

    `expected`: the formats accepted here (default all); the message lists them.
    """
    expected = expected or FORMATS
    fmt = format_for(name)
    accepted = ", ".join(f"{f.label} ({'/'.join(f.suffixes)})" for f in expected)
    if fmt is None or fmt not in expected:
        raise InvalidParameter(f"file {name!r}: unsupported format; send one of {accepted}", "file")
    if not fmt.matches(head):
        raise InvalidParameter(f"file {name!r} is not a {fmt.label} file: its content is {describe(head)}; "
                               f"send a {fmt.label} file ({', '.join(fmt.suffixes)})", "file")
    return fmt


def check_file(path, name=None, expected=None):
    """check() on the first bytes of the file at `path` (named `name` for the user)."""
    name = name or Path(path).name
    with open(path, "rb") as handle:
        fmt = check(name, handle.read(HEAD_BYTES), expected)
        if fmt.label == "KML":
            handle.seek(0)
            scan_kml(name, iter(lambda: handle.read(1 << 20), b""))
    return fmt


_KML_REFUSED = ((re.compile(rb"<(?:[\w.-]+:)?NetworkLink\b"), "a NetworkLink (a link to another document)"),
                (re.compile(rb"<!ENTITY"), "an XML entity declaration"), (re.compile(rb"<!DOCTYPE"), "a DOCTYPE"))


def scan_kml(name, chunks):
    """Refuse a KML whose body links other documents (NetworkLink) or declares entities, wherever they are."""
    tail = b""
    for chunk in chunks:
        window = tail + chunk
        for pattern, why in _KML_REFUSED:
            if pattern.search(window):
                raise InvalidParameter(f"file {name!r}: a KML holding {why} is not accepted; export the features "
                                       "themselves as plain KML", "file")
        tail = window[-64:]


def open_raster(path, name=None):
    """`path` opened by rasterio with the one driver its format allows (GTiff unless it is a PNG/JPEG scan)."""
    import rasterio

    fmt = format_for(Path(path).name)
    driver = fmt.drivers[0] if fmt is not None and fmt.drivers else "GTiff"  # one raster driver per format
    try:
        return rasterio.open(path, driver=driver)  # in read mode, the only driver GDAL may try
    except rasterio.errors.RasterioIOError as exc:
        name = name or Path(path).name
        raise InvalidParameter(f"{name} cannot be read as {driver} ({gdal_message(exc, path, name)})",
                               "file") from None


def check_driver(driver, fmt, name):
    """After GDAL opened the file: the driver it used must be one the format allows."""
    if driver not in fmt.drivers:
        raise InvalidParameter(f"file {name!r} was read as {driver}, not as {fmt.label}; send a {fmt.label} file",
                               "file")


_PATH = re.compile(r"(?<![\w:])/(?:[\w.-]+/)+[\w.-]*")


def gdal_message(exc, path, name):
    """The first line of a GDAL error, naming the file as the user sent it and no path of the server."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    for own in sorted({str(path), str(Path(path).parent)}, key=len, reverse=True):
        text = text.replace(own, name)
    return _PATH.sub("…", text)[:300]
