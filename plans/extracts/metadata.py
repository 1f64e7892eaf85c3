"""The metadata every extract carries: which plan, which version, its legal status, when, in which CRS.

Keys are French (data fields stay in French); the disclaimer is given in
French and Arabic because citizens read it.
"""
from django.utils import timezone

from plans.crs import LAMBERT_CHOICES

DISCLAIMER_FR = ("Extrait informatif du plan approuvé, établi automatiquement. Seuls le plan approuvé par décret "
                 "et son règlement, consultables auprès de l'agence urbaine, font foi.")
DISCLAIMER_AR = ("مستخرج إخباري من التصميم المصادق عليه، أُعدّ آليا. لا يُعتدّ إلا بالتصميم المصادق عليه بمرسوم "
                 "ونظامه، المتاحين للاطلاع لدى الوكالة الحضرية.")
CRS_NAMES = dict(LAMBERT_CHOICES) | {4326: "EPSG:4326 WGS 84 (longitude, latitude)",
                                    3857: "EPSG:3857 WGS 84 / Pseudo-Mercator"}


def extract_metadata(area, request, out_srid, extracted_at=None):
    """An ordered {key: text} describing the extract `area` made for `request`, output in EPSG:`out_srid`."""
    plan = area.plan
    extracted_at = timezone.localtime(extracted_at or timezone.now())
    return {
        "agence": f"{plan.agency.code} — {plan.agency.name_fr}",
        "plan": plan.title_fr,
        "plan_ar": plan.title_ar,
        "reference": plan.reference,
        "version": str(plan.version),
        "statut": plan.get_status_display(),
        "decret": plan.decree_reference,
        "date_decret": plan.decree_date.isoformat() if plan.decree_date else "",
        "date_effet": plan.effective_date.isoformat() if plan.effective_date else "",
        "en_vigueur_le": area.on.isoformat(),
        "date_extraction": extracted_at.isoformat(timespec="seconds"),
        "crs": CRS_NAMES.get(out_srid, f"EPSG:{out_srid}"),
        "crs_calculs": CRS_NAMES[plan.srid] + " (surfaces en m²)",
        "decoupage": "exact (entités coupées à la limite)" if request.clip == "exact" else "entier (entités touchées)",
        "emprise": area.parcel.title_number if area.parcel else "zone dessinée",
        "marge_m": f"{request.margin:g}",
        "surface_emprise_m2": f"{area.area_m2:.2f}",
        "avertissement": DISCLAIMER_FR,
        "avertissement_ar": DISCLAIMER_AR,
    }
