"""A plan's whole life by agency staff, by role, without a superuser: create from a perimeter file (or the union
of its zones), attach decree and règlement PDFs, draft → inquiry → approved → superseded, history; and a national
administrator's agency from the province list. Areas are checked against shapely/pyproj computations of the same
files (the oracle), on the real sample data in PostGIS."""
import hashlib
import json

import pyogrio
import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile

from geoportal.core.errors import Conflict, Forbidden, InvalidParameter, MissingParameter
from geoportal.staff import roles
from plans import crs
from plans.lifecycle import agencies, selectors, services
from plans.models import Agency, PlanAttachment, PlanDocument, Zone
from plans.models.geometry import LambertArea

pytestmark = pytest.mark.django_db
# A block of Tétouan (lon/lat), inside AUT's territory.
BLOCK = [(-5.3700, 35.5800), (-5.3600, 35.5800), (-5.3600, 35.5880), (-5.3700, 35.5880), (-5.3700, 35.5800)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(django_user_model, aut):
    def make(name, role, agency=aut):
        user = django_user_model.objects.create_user(name, password="pw-" + name)
        roles.grant(user, agency, role)
        return user
    return make


@pytest.fixture(scope="module")
def pdf():
    from weasyprint import HTML

    return HTML(string="<h1>Décret n° 2-26-101 approuvant le plan d'aménagement</h1>"
                       "<p dir='rtl' lang='ar'>مرسوم بالمصادقة على تصميم التهيئة</p>").write_pdf()


def geojson(rings, crs_name=None):
    document = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        for ring in rings]}
    if crs_name:
        document["crs"] = {"type": "name", "properties": {"name": crs_name}}
    return json.dumps(document).encode()


def lambert_area(lonlat_polygon, srid=26191):
    return crs.transform_shapely(shapely.segmentize(lonlat_polygon, 1e-5), 4326, srid).area


def new_plan(user, agency, reference="pa-essai", data=None, **options):
    return services.create_plan(user, agency, reference=reference, kind="pa", title_fr="Plan d'essai",
                                title_ar="تصميم تجريبي", perimeter_file=("perimetre.geojson", data or geojson([BLOCK])),
                                **options)


def test_an_editor_creates_a_draft_from_a_perimeter_file(staff, aut):
    plan = new_plan(staff("sig", roles.EDITOR), aut)
    assert (plan.status, plan.version, plan.srid) == ("draft", 1, 26191)
    area = selectors.plans_for(staff("lecteur", roles.VIEWER)).get(pk=plan.pk).area_m2
    assert area == pytest.approx(lambert_area(shapely.Polygon(BLOCK)), rel=1e-6)
    assert set(plan.communes.values_list("code", flat=True)) <= {"TET-01", "TET-02"} and plan.communes.exists()
    assert [e["what"] for e in selectors.history(plan)] == ["created"]


def test_the_perimeter_can_be_the_union_of_the_zones_of_a_file_in_lambert(staff, aut, sample_dataset):
    spec = next(a for a in sample_dataset.agencies if a.code == "AUT")
    zones = next(p for p in spec.plans if p.status == "approved").zones
    rings = [[list(xy) for xy in part.exterior.coords] for _code, geom in zones for part in shapely.get_parts(geom)]
    plan = new_plan(staff("sig", roles.EDITOR), aut,
                    data=geojson(rings, "urn:ogc:def:crs:EPSG::26191"))
    union = shapely.union_all([shapely.Polygon(r) for r in rings])
    area = PlanDocument.objects.filter(pk=plan.pk).values_list("perimeter", flat=True).get()
    assert crs.transform_shapely(shapely.from_wkb(bytes(area.wkb)), 4326, 26191).area == pytest.approx(union.area,
                                                                                                     rel=1e-6)


def test_a_file_without_a_crs_needs_one_and_a_file_elsewhere_is_refused(staff, aut):
    editor = staff("sig", roles.EDITOR)
    shapefile_less = b"0\nSECTION\n2\nENTITIES\n0\nENDSEC\n0\nEOF\n"
    with pytest.raises(InvalidParameter):
        new_plan(editor, aut, data=shapefile_less)
    paris = [(2.30, 48.85), (2.31, 48.85), (2.31, 48.86), (2.30, 48.85)]
    with pytest.raises(InvalidParameter, match="outside the territory of agency AUT"):
        new_plan(editor, aut, data=geojson([paris]))
    assert not PlanDocument.objects.filter(reference="pa-essai").exists()


def test_a_new_version_takes_the_union_of_the_zones_it_replaces(staff, aut):
    in_force = PlanDocument.objects.get(reference="pa-guelmim")
    publisher = staff("pub-aug", roles.PUBLISHER, in_force.agency)
    plan = services.create_plan(publisher, in_force.agency, reference="ignored", kind="pa", title_fr="Révision",
                                title_ar="مراجعة", supersedes=in_force)
    assert (plan.reference, plan.version, plan.supersedes_id) == ("pa-guelmim", 2, in_force.pk)
    zones = shapely.union_all([shapely.from_wkb(bytes(z.geom.wkb)) for z in Zone.objects.live().filter(plan=in_force)])
    mine = shapely.from_wkb(bytes(PlanDocument.objects.get(pk=plan.pk).perimeter.wkb))
    assert mine.symmetric_difference(zones).area < 1e-12  # degrees²: the same area
    with pytest.raises(Conflict, match="already has a next version"):
        services.create_plan(publisher, in_force.agency, reference="x", kind="pa", title_fr="t", title_ar="t",
                             supersedes=in_force)


def test_decree_and_reglement_pdfs_are_checked_before_they_are_kept(staff, aut, pdf):
    editor = staff("sig", roles.EDITOR)
    plan = new_plan(editor, aut)
    services.attach(editor, plan, "decree", SimpleUploadedFile("decret.pdf", pdf), "Décret n° 2-26-101")
    services.attach(editor, plan, "regulation", SimpleUploadedFile("reglement.pdf", pdf))
    disguised = SimpleUploadedFile("reglement.pdf", b"MZ\x90\x00" + b"\x00" * 300)
    with pytest.raises(InvalidParameter, match="not an accepted type"):
        services.attach(editor, plan, "regulation", disguised)
    import io

    import pypdf
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    buffer = io.BytesIO()
    writer.write(buffer)
    scripted = buffer.getvalue()
    with pytest.raises(InvalidParameter, match="active content"):
        services.attach(editor, plan, "regulation", SimpleUploadedFile("r.pdf", scripted))
    kept = list(plan.attachments.order_by("kind").values_list("kind", "sha256"))
    assert kept == [("decree", hashlib.sha256(pdf).hexdigest()), ("regulation", hashlib.sha256(pdf).hexdigest())]


def test_the_whole_life_by_role_with_the_legal_checks(staff, aut, pdf):
    editor, publisher = staff("sig", roles.EDITOR), staff("pub", roles.PUBLISHER)
    plan = new_plan(editor, aut)
    with pytest.raises(Forbidden, match="is not publisher"):
        services.change_status(editor, plan, "public_inquiry", {"inquiry_start": "2026-12-07",
                                                                "inquiry_end": "2027-01-07"})
    with pytest.raises(MissingParameter, match="first and last day"):
        services.change_status(publisher, plan, "public_inquiry", {})
    with pytest.raises(Conflict, match="cannot go to approved"):
        services.change_status(publisher, plan, "approved", {})
    services.change_status(publisher, plan, "public_inquiry", {"inquiry_start": "2026-12-07",
                                                                "inquiry_end": "2027-01-07"}, "arrêté du 1er déc.")
    approval = {"decree_reference": "Décret n° 2-26-101", "decree_date": "2027-03-01",
                "effective_date": "2027-03-20"}
    with pytest.raises(Conflict, match="attach the approval decree"):
        services.change_status(publisher, plan, "approved", approval)
    services.attach(editor, plan, "decree", SimpleUploadedFile("decret.pdf", pdf))
    with pytest.raises(InvalidParameter, match="cannot be approved without effective_date"):
        services.change_status(publisher, plan, "approved", {**approval, "effective_date": ""})
    services.change_status(publisher, plan, "approved", approval)
    plan.refresh_from_db()
    assert plan.status == "approved" and str(plan.expiry_date) == "2037-03-20"  # ten years, the law's default
    # Its next version, approved, supersedes it from its own date of effect.
    v2 = services.create_plan(editor, aut, reference="", kind="pa", title_fr="Révision", title_ar="مراجعة",
                              supersedes=plan, perimeter_file=("p.geojson", geojson([BLOCK])))
    services.change_status(publisher, v2, "public_inquiry", {"inquiry_start": "2030-01-06",
                                                              "inquiry_end": "2030-02-06"})
    services.attach(editor, v2, "decree", SimpleUploadedFile("decret2.pdf", pdf))
    services.change_status(publisher, v2, "approved", {"decree_reference": "Décret n° 2-30-7",
                                                        "decree_date": "2030-05-02", "effective_date": "2030-06-01"})
    plan.refresh_from_db()
    assert plan.status == "superseded" and str(plan.superseded_on) == "2030-06-01"
    assert list(PlanDocument.objects.in_force(plan.superseded_on).filter(reference="pa-essai")) == [v2]
    steps = [(e["what"], e["who"]) for e in selectors.history(plan)]
    assert steps[0] == ("created", "") and ("draft → public_inquiry", "pub") in steps
    assert ("public_inquiry → approved", "pub") in steps and ("approved → superseded", "pub") in steps
    assert any(what == "attached: Décret d'approbation" for what, _who in steps)


def test_other_agencies_and_viewers_cannot_act(staff, aut, aug):
    plan = new_plan(staff("sig", roles.EDITOR), aut)
    stranger = staff("pub-aug", roles.PUBLISHER, aug)
    with pytest.raises(Forbidden):
        services.change_status(stranger, plan, "public_inquiry", {"inquiry_start": "2026-12-07",
                                                                   "inquiry_end": "2027-01-07"})
    with pytest.raises(Forbidden):
        new_plan(staff("lecteur", roles.VIEWER), aut, reference="pa-autre")
    assert plan not in selectors.plans_for(stranger)


def _independent_union_area_m2(province_ids, srid):
    """Area in Lambert of the provinces read straight from the file with pyogrio and shapely (the oracle)."""
    from plans.boundaries import PROVINCES

    _m, _f, geoms, fields = pyogrio.raw.read(PROVINCES)
    chosen = [shapely.make_valid(shapely.from_wkb(g)) for pid, g in zip(fields[0], geoms) if pid in province_ids]
    areal = shapely.union_all([shapely.get_parts(c)[shapely.get_dimensions(shapely.get_parts(c)) == 2]
                               for c in chosen])
    return crs.transform_shapely(shapely.segmentize(areal, 0.001), 4326, srid).area


def test_a_national_admin_creates_an_agency_from_the_province_list(django_user_model):
    admin = django_user_model.objects.create_user("national", password="pw-national")
    roles.grant(admin, None, roles.NATIONAL_ADMIN)
    agency = agencies.create_agency(admin, code="ause", name_fr="Agence Urbaine d'Es-Semara",
                                    name_ar="الوكالة الحضرية للسمارة", province_ids=["MA-ESM", "MA-BOD"])
    assert agency.code == "AUSE" and agency.srid == 26194  # Merchich / Sahara Nord, from the latitude
    assert sorted(agency.communes.values_list("code", flat=True)) == ["MA-BOD", "MA-ESM"]
    area = Agency.objects.filter(pk=agency.pk).annotate(a=LambertArea("jurisdiction", "srid")).get().a
    assert area == pytest.approx(_independent_union_area_m2({"MA-ESM", "MA-BOD"}, 26194), rel=1e-3)
    assert agencies.suggested_zone(["MA-TET"]) == 26191 and agencies.suggested_zone(["MA-OUD"]) == 26195
    with pytest.raises(Conflict):
        agencies.create_agency(admin, code="AUSE", name_fr="x", name_ar="x", province_ids=["MA-ESM"])
    with pytest.raises(InvalidParameter, match="MA-XXX"):
        agencies.create_agency(admin, code="AUX", name_fr="x", name_ar="x", province_ids=["MA-XXX"])


def test_only_a_national_admin_creates_agencies(staff):
    with pytest.raises(Forbidden, match="national administrator"):
        agencies.create_agency(staff("pub", roles.PUBLISHER), code="AUX", name_fr="x", name_ar="x",
                               province_ids=["MA-ESM"])
    assert not Agency.objects.filter(code="AUX").exists()


def test_pages_walk_the_same_life(client, staff, aut, pdf):
    publisher = staff("pub", roles.PUBLISHER)
    client.force_login(publisher)
    response = client.post("/staff/plans/", {
        "agency": "AUT", "reference": "pa-page", "kind": "pa", "title_fr": "Plan", "title_ar": "تصميم",
        "perimeter": SimpleUploadedFile("p.geojson", geojson([BLOCK]), "application/geo+json")})
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = PlanDocument.objects.get(reference="pa-page")
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="draft"' in page and "to-public_inquiry" in page
    client.post(f"/staff/plans/{plan.pk}/attachments", {"kind": "decree", "file": SimpleUploadedFile("d.pdf", pdf)})
    client.post(f"/staff/plans/{plan.pk}/status", {"status": "public_inquiry", "inquiry_start": "2026-12-07",
                                                   "inquiry_end": "2027-01-07"})
    refused = client.post(f"/staff/plans/{plan.pk}/status", {"status": "approved"}, follow=True).content.decode()
    assert "cannot be approved without" in refused
    plan.refresh_from_db()
    assert plan.status == "public_inquiry" and plan.attachments.filter(kind=PlanAttachment.Kind.DECREE).exists()
    assert "draft → public_inquiry" in client.get(f"/staff/plans/{plan.pk}/").content.decode()
    other = staff("pub-aug", roles.PUBLISHER, Agency.objects.get(code="AUG"))
    client.force_login(other)
    assert client.get(f"/staff/plans/{plan.pk}/").status_code == 403
    assert client.get("/staff/agencies/new").status_code == 403
