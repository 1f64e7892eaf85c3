"""Reads of the law that every feature asks the same way: agencies by code, parcels by land title, the plans in
force on a date (the `date` parameter).

One matching rule for every endpoint that takes `agency`: the agency's code, stripped, case-insensitive
("aut", " AUT " and "AUT" are the same agency). One lookup of a parcel by its title: the number is
normalised (plans.titles), then matched in that agency, or in any agency when none is given; several
agencies holding the same number ask for `agency`.
"""
import datetime

from django.utils import timezone

from geoportal.core.errors import InvalidParameter, NotFound
from plans.models import Agency, Parcel, PlanDocument
from plans.titles import InvalidTitleNumber, normalise_title


def agency_code(code):
    """The code as the agencies table matches it: stripped, or None when empty."""
    code = (code or "").strip()
    return code or None


def agency_by_code(code):
    """The Agency whose code is `code` (case-insensitive, stripped), or None."""
    code = agency_code(code)
    return Agency.objects.filter(code__iexact=code).first() if code else None


def known_agency_codes():
    return ", ".join(Agency.objects.order_by("code").values_list("code", flat=True))


def parcels_by_title(title, agency=None):
    """Parcels whose (already normalised) title number is `title`, of agency code `agency` when given."""
    parcels = Parcel.objects.filter(title_number=title)
    code = agency_code(agency)
    if code:
        parcels = parcels.filter(agency__code__iexact=code)
    return parcels


def parcel_by_title(text, agency=None, parameter="parcel"):
    """The one parcel of land title `text` (any spelling normalise_title reads), in agency `agency` if given.

    InvalidParameter (naming `parameter`) for an unreadable number or one held by several agencies;
    NotFound when no parcel has it.
    """
    try:
        title = normalise_title(text)
    except InvalidTitleNumber as exc:
        raise InvalidParameter(str(exc), parameter) from None
    code = agency_code(agency)
    # Not the agency's territory: outlines weigh up to megabytes and callers never read them.
    found = list(parcels_by_title(title, code).select_related("agency").defer("agency__jurisdiction")
                 .order_by("agency__code")[:5])
    if not found:
        where = f"agency {code}" if code else "any agency"
        raise NotFound(f"no parcel {title} in {where}; check the number on the title deed and the registry office "
                       "code after the slash (e.g. 'TF 12345/19')", parameter)
    if len(found) > 1:
        codes = ", ".join(p.agency.code for p in found)
        raise InvalidParameter(f"{title} exists in several agencies ({codes}); add agency=CODE to choose", "agency")
    return found[0]


EARLIEST_DATE = datetime.date(1950, 1, 1)


def parse_date(text):
    """The `date` parameter (YYYY-MM-DD) or today when empty."""
    if not text:
        return timezone.localdate()
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise InvalidParameter(f"date={text!r} is not a date; write it as YYYY-MM-DD, e.g. 2015-06-30",
                               "date") from None
    if day < EARLIEST_DATE:
        raise InvalidParameter(f"date={text!r} is before {EARLIEST_DATE}: no plan of this platform applies then",
                               "date")
    return day


def plans_in_force(on):
    """Ids of the plans legally in force on date `on`."""
    return list(PlanDocument.objects.in_force(on).values_list("id", flat=True))
