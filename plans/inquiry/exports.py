"""The register of an inquiry exported: a signed, numbered PDF in French and Arabic with a QR code, a CSV and a
GeoPackage. No e-mail address ever appears; authors are "nominatif" / "anonyme" (names stay in the agency's
records), and the text is the published one (the original only for observations not published, marked so).

issue(inquiry, user) records a RegisterExport (content signed by geoportal.core.signing, as notes are) and
returns it; pdf(export, request) renders it; csv_bytes / gpkg_bytes write the same rows.
"""
import csv
import io
import tempfile
from pathlib import Path

import numpy as np
import pyogrio.raw
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from geoportal.core.pdf_resources import write_pdf
from geoportal.core.qr import absolute_url, qr_svg_data_uri
from geoportal.core.signing import sign, verifying_key
from plans.vocabulary import draft_notice

from .models import RegisterExport

COLUMNS = ("position", "number", "filed_on", "status", "theme", "article", "commune", "parcel", "author",
           "cosignatures", "group", "text", "answer")


def rows(inquiry):
    """The register's rows in order, without personal data (see the module doc)."""
    out = []
    for o in (inquiry.observations.select_related("commune", "parcel", "group").prefetch_related("cosignatures")
              .order_by("position")):
        out.append({
            "position": o.position, "number": o.number, "filed_on": timezone.localdate(o.created_at).isoformat(),
            "status": o.status, "theme": o.theme, "article": o.article,
            "commune": o.commune.name_fr if o.commune_id else "", "parcel": o.parcel.title_number if o.parcel_id else "",
            "author": "nominatif" if o.author_name else "anonyme", "cosignatures": len(o.cosignatures.all()),
            "group": o.group.title if o.group_id else "", "text": o.public_text or o.text,
            "answer": o.reasoned_answer,
        })
    return out


def content(inquiry):
    plan = inquiry.plan
    observations = rows(inquiry)
    return {
        "plan": {"id": plan.id, "reference": plan.reference, "version": plan.version, "title_fr": plan.title_fr,
                 "title_ar": plan.title_ar, "agency": plan.agency.code,
                 "inquiry_start": plan.inquiry_start.isoformat() if plan.inquiry_start else None,
                 "inquiry_end": plan.inquiry_end.isoformat() if plan.inquiry_end else None},
        "observations": observations,
        "counts": {"observations": len(observations),
                   "answered": sum(1 for o in observations if o["answer"]),
                   "cosignatures": sum(o["cosignatures"] for o in observations)},
    }


@transaction.atomic
def issue(inquiry, user=None):
    """A new signed export of the register, numbered REG-<agency>-<plan id>-<n>."""
    count = RegisterExport.objects.select_for_update().filter(inquiry=inquiry).count()
    number = f"REG-{inquiry.plan.agency.code.upper()}-{inquiry.plan_id}-{count + 1:03d}"
    now = timezone.now().replace(microsecond=0)
    body = content(inquiry)
    key_id, signature = sign(number, now, body)
    return RegisterExport.objects.create(inquiry=inquiry, number=number, issued_at=now, content=body,
                                         issued_by=user if user and user.is_authenticated else None,
                                         key_id=key_id, signature=signature)


def authentic(export):
    return verifying_key(export.signature, export.key_id, export.number, export.issued_at, export.content) is not None


def verify_path(export):
    return f"/enquete/registres/{export.number}/verifier"


def pdf(export, request=None):
    url = absolute_url(request, verify_path(export))
    html = render_to_string("inquiry/register.html", {
        "e": export, "c": export.content, "verify_url": url, "qr": qr_svg_data_uri(url),
        "notice_fr": draft_notice("fr"), "notice_ar": draft_notice("ar")})
    return write_pdf(html)


def csv_bytes(export):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(export.content["observations"])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # a BOM: spreadsheet software reads UTF-8 then


def gpkg_bytes(export):
    """The register's observations with their places (EPSG:4326, points and polygons) as a GeoPackage."""
    numbers = [o["number"] for o in export.content["observations"]]
    with connection.cursor() as cursor:
        cursor.execute("SELECT number, ST_AsBinary(place) FROM inquiry_observation WHERE number = ANY(%s)", [numbers])
        places = {number: bytes(wkb) for number, wkb in cursor.fetchall()}
    observations = [o for o in export.content["observations"] if o["number"] in places]
    geometry = np.array([places[o["number"]] for o in observations], dtype=object)
    values = [np.array([str(o[name]) if name not in ("position", "cosignatures") else o[name]
                        for o in observations], dtype=object if name not in ("position", "cosignatures") else np.int64)
              for name in COLUMNS]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{export.number}.gpkg"
        pyogrio.raw.write(str(path), geometry, values, list(COLUMNS), layer="observations", driver="GPKG",
                          geometry_type="Unknown", crs="EPSG:4326",
                          dataset_metadata={"register": export.number, "signature": export.signature,
                                            "issued_at": export.issued_at.isoformat()})
        return path.read_bytes()
