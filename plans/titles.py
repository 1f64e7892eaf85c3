"""Land title (titre foncier) and requisition numbers, as people type them.

The conservation foncière writes "TF 12345/19": a number, a slash and the
two-digit code of the land registry office. Requisitions (land being
registered) are "R 678/19". People type "T.F. 12345/19", "tf12345-19",
"Titre foncier n° 12345 / 19", "réquisition 678/19" or just "12345/19"
(a title, by default). normalise_title() gives the one canonical form stored
in Parcel.title_number.
"""
import re

_PREFIXES = {
    "TF": "TF",
    "T": "TF",
    "TITRE": "TF",
    "TITREFONCIER": "TF",
    "R": "R",
    "REQ": "R",
    "REQUISITION": "R",
}
_PATTERN = re.compile(
    r"""^\s*
    (?P<prefix>[A-Za-zéÉ.\s]*?)\s*
    (?:\bN(?:°|O\b|\.)\s*)?
    (?P<number>\d{1,9})\s*
    [/\-\s]\s*
    (?P<office>\d{1,3})\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


class InvalidTitleNumber(ValueError):
    """The text is not a land title or requisition number."""


def normalise_title(text):
    """Return the canonical "TF 12345/19" or "R 678/19" form of `text`.

    Raises InvalidTitleNumber naming the text when it cannot be read.
    """
    if text is None:
        raise InvalidTitleNumber("a land title number is required, e.g. 'TF 12345/19'")
    match = _PATTERN.match(str(text))
    if not match:
        raise InvalidTitleNumber(
            f"{text!r} is not a land title or requisition number; write it as 'TF 12345/19' or 'R 678/19'"
        )
    prefix = re.sub(r"[\s.]", "", match.group("prefix")).upper().replace("É", "E")
    if prefix == "":
        kind = "TF"
    elif prefix in _PREFIXES:
        kind = _PREFIXES[prefix]
    else:
        raise InvalidTitleNumber(
            f"{text!r} starts with {match.group('prefix').strip()!r}; write a title as 'TF 12345/19' or a requisition as 'R 678/19'"
        )
    number = int(match.group("number"))
    office = int(match.group("office"))
    return f"{kind} {number}/{office:02d}"
