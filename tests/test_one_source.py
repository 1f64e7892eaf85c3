"""One source for each word, colour and rule (issue 15), checked where users see them.

Oracles: plans.vocabulary is the one source; each test reads what the web map page, the note and the
print maps of notes and extracts actually deliver and finds the same colours and words there.
"""
import json
import re
import subprocess
import sys
from html import unescape

import pytest
from django.contrib.gis.geos import Polygon

from frontend.cartography import printmap
from plans import vocabulary
from plans.crs import from_wgs84
from plans.models import IssuedNote, Parcel, PlanDocument, Servitude

pytestmark = pytest.mark.django_db
LEGEND_ENTRY = re.compile(r'<rect x="[^"]+" y="[^"]+" width="6" height="3" ([^/]*)/><text[^>]*>([^<]*)</text>')


def _map_config(client, lang="fr"):
    page = client.get("/carte/", {"lang": lang}).content.decode()
    return json.loads(unescape(re.search(r'<script id="map-config" type="application/json">(.*?)</script>',
                                         page, re.S).group(1)))


def _legend(svg):
    """[(fill colour or SVG attributes, text)] of a print map's legend."""
    out = []
    for attributes, text in LEGEND_ENTRY.findall(svg):
        fill = re.search(r'fill="([^"]+)"', attributes).group(1)
        out.append((fill, attributes, unescape(text)))
    return out


def _zone_entries(svg):
    """{zone code: (colour, family label as printed)} from a print map's legend."""
    found = {}
    for fill, _, text in _legend(svg):
        if " — " in text and fill.startswith("#"):
            codes, label = text.split(" — ", 1)
            for code in codes.split(", "):
                found[code] = (fill, label)
    return found


def _same_label(printed, label):
    return printed == label or (printed.endswith("…") and label.startswith(printed[:-1]))


def _check_zone_legend(entries, web_families):
    assert entries, "the print map shows no zone in its legend"
    for code, (colour, printed) in entries.items():
        family = vocabulary.zone_family(code)
        web = web_families[family.key]
        assert colour == family.colour == web["colour"], code
        assert _same_label(printed, family.label_fr) and web["label_fr"] == family.label_fr, code


def test_zone_legends_of_web_map_note_and_extract_agree(client, monkeypatch):
    web_families = {f["key"]: f for f in _map_config(client)["styles"]["zoneFamilies"]}
    # The note's PDF embeds its stored print map.
    created = client.post("/api/notes", {"title_number": "TF 10001/19"}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert client.get(f"/notes/{created.json()['number']}.pdf").status_code == 200
    note_svg = IssuedNote.objects.get(number=created.json()["number"]).map_svg
    _check_zone_legend(_zone_entries(note_svg), web_families)
    # The extract's PDF: the map its writer draws (the real renderer, watched).
    drawn = []
    real = printmap.render_print_map
    monkeypatch.setattr(printmap, "render_print_map", lambda *a, **k: drawn.append(real(*a, **k)) or drawn[-1])
    response = client.get("/api/extracts", {"parcel": "TF 10001/19", "format": "pdf", "margin": 60})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", response.content[:300]
    extract_entries = _zone_entries(drawn[0].svg)
    _check_zone_legend(extract_entries, web_families)
    # The same zone codes get the same entries on both papers.
    common = set(extract_entries) & set(_zone_entries(note_svg))
    assert common and all(extract_entries[c] == _zone_entries(note_svg)[c] for c in common)


def test_servitude_kinds_have_one_arabic_name_on_panel_note_and_print_map(client):
    arabic = vocabulary.servitude_kind_labels("ar")
    # The web map's panel.
    assert _map_config(client, "ar")["servitudeKinds"] == arabic
    # The note: a parcel crossed by a servitude of the plan in force.
    plan = PlanDocument.objects.in_force().filter(agency__code="AUT").first()
    servitude = Servitude.objects.live().filter(plan=plan).exclude(kind="road").first()
    parcel = Parcel.objects.filter(geom__intersects=servitude.footprint).first()
    body = client.post("/api/notes", {"title_number": parcel.title_number}, content_type="application/json").json()
    kinds = {s["kind"]: s["kind_ar"] for s in body["content"]["servitudes"]}
    assert kinds and all(kinds[kind] == arabic[kind] for kind in kinds)
    # The print map's legend in Arabic, over the whole plan.
    minx, miny, maxx, maxy = plan.perimeter.extent
    (x0, y0), (x1, y1) = from_wgs84(minx, miny, plan.srid), from_wgs84(maxx, maxy, plan.srid)
    svg = printmap.render_print_map(plan.srid, (x0, y0, x1, y1), (420, 297), lang="ar", plan_ids=[plan.id]).svg
    drawn = {kind for kind, *_ in printmap.layers.servitudes(printmap._fit(plan.srid, (x0, y0, x1, y1), 400, 200,
                                                                            None)[0], [plan.id])}
    texts = {text for _, _, text in _legend(svg)}
    assert drawn and all(arabic[kind] in texts for kind in drawn)


AGENCY_ENDPOINTS = [
    ("post", "/api/notes", {"title_number": "TF 10001/19"}, 201),
    ("get", "/api/extracts", {"parcel": "TF 10001/19", "format": "geojson"}, 200),
    ("get", "/api/place", {"parcel": "TF 10001/19"}, 200),
    ("get", "/embed/parcel/TF 10001/19", {}, 200),
    ("get", "/api/services/fees/schedule", {}, 200),
    ("get", "/api/services/permits/sessions", {}, 200),
]


@pytest.mark.parametrize("spelling", ["AUT", "aut", " Aut "])
@pytest.mark.parametrize(("method", "url", "params", "status"), AGENCY_ENDPOINTS,
                         ids=[e[1] for e in AGENCY_ENDPOINTS])
def test_agency_is_matched_the_same_way_on_every_endpoint(client, method, url, params, status, spelling):
    if method == "post":
        response = client.post(url, {**params, "agency": spelling}, content_type="application/json")
    else:
        response = client.get(url, {**params, "agency": spelling})
    assert response.status_code == status, response.content[:300]


@pytest.mark.parametrize(("method", "url", "params", "status"), AGENCY_ENDPOINTS[:4],
                         ids=[e[1] for e in AGENCY_ENDPOINTS[:4]])
def test_a_parcel_of_another_agency_is_not_found_on_every_endpoint(client, method, url, params, status):
    if method == "post":
        response = client.post(url, {**params, "agency": "aug"}, content_type="application/json")
    else:
        response = client.get(url, {**params, "agency": "aug"})
    assert response.status_code == 404 and "no parcel TF 10001/19 in agency aug" in response.content.decode()


def test_plans_in_force_are_one_sql_rule_for_the_orm_and_the_views(django_db_blocker):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(id ORDER BY id) FROM ogc_plan_state WHERE legal_state = 'current'")
        current = cursor.fetchone()[0]
        cursor.execute("SELECT pg_get_viewdef('ogc_plan_state'::regclass)")
        assert "plan_in_force(" in cursor.fetchone()[0]
    assert current == sorted(PlanDocument.objects.in_force().values_list("id", flat=True))
    assert "plan_in_force(" in str(PlanDocument.objects.in_force().query)


def test_a_browser_gets_an_html_error_page_and_an_api_client_json(client):
    page = client.get("/notes/AUT-1999-000001")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
    assert "no note numbered" in page.content.decode()
    api = client.get("/api/notes/AUT-1999-000001")
    assert api.status_code == 404 and api.json()["code"] == "NotFound"


def test_a_crash_under_api_is_a_json_500(client, monkeypatch):
    from frontend.webmap import api

    def crash(text):
        raise RuntimeError("selector broke")

    monkeypatch.setattr(api, "run_search", crash)
    response = client.get("/api/search", {"q": "anything"})
    assert response.status_code == 500 and response.json()["code"] == "ServerError"
    assert "selector broke" not in response.content.decode()  # the log says why, not the client


def test_the_provider_maps_an_invalid_query_to_400_with_its_message():
    from pygeoapi.provider.base import ProviderInvalidQueryError
    from pygeofilter.parsers.cql2_text import parse as parse_cql2_text

    from layers.serving.pygeoapi_providers import PublicLayerProvider

    provider = PublicLayerProvider({"name": "PublicLayerProvider", "type": "feature", "data": "zones",
                                    "id_field": "id"})
    with pytest.raises(ProviderInvalidQueryError) as raised:
        provider.query(filterq=parse_cql2_text("no_such_property = 1"))
    assert raised.value.http_status_code == 400 and "no_such_property" in raised.value.message


@pytest.mark.parametrize(("value", "expected"), [("no", "False"), ("0", "False"), ("yes", "True"), ("", "True")])
def test_note_pdf_background_is_a_boolean(value, expected):
    out = subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                          "print(settings.NOTE_PDF_BACKGROUND)"], capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "NOTE_PDF_BACKGROUND": value,
                              "DJANGO_SETTINGS_MODULE": "geoportal.settings"})
    assert out.stdout.strip() == expected


def test_drawn_area_outside_every_territory_is_still_refused(client):
    # The extract and the note share plans.selectors and plans.outlines; a box in the sea stays a 400.
    box = Polygon.from_bbox((-30, 40, -29, 41)).geojson
    response = client.get("/api/extracts", {"polygon": box, "format": "geojson"})
    assert response.status_code == 400
