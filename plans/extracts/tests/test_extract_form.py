"""The extract form (/extraits) and what it submits to /api/extracts."""
import pyogrio
import pytest

pytestmark = pytest.mark.django_db


def test_the_form_is_bilingual_prefilled_and_posts_to_the_api(client):
    response = client.get("/extraits", {"parcel": "TF 10001/19"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'action="/api/extracts"' in html and 'value="TF 10001/19"' in html
    assert "مستخرج من تصميم التهيئة" in html and 'value="dxf"' in html and 'value="parcelles"' in html


def test_the_form_submission_with_repeated_layers_is_understood(client, tmp_path):
    response = client.get("/api/extracts", {"parcel": "TF 10001/19", "margin": "20", "layers": ["zones", "parcelles"],
                                            "format": "gpkg", "crs": "", "clip": "exact", "paper": "A4",
                                            "orientation": "portrait", "scale": ""})
    assert response.status_code == 200, response.content
    path = tmp_path / "form.gpkg"
    path.write_bytes(response.content)
    assert {name for name, _ in pyogrio.list_layers(path)} == {"zones", "parcelles", "emprise", "metadonnees"}
