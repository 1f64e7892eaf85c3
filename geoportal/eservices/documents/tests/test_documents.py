"""Documents over HTTP: staff upload a PDF in the admin, anyone searches in French or Arabic, downloads it and
reaches its page from its QR code."""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from geoportal.eservices.common.models import AuditEvent
from geoportal.eservices.conftest import DISGUISED, decode_qr_data_uri
from geoportal.eservices.documents.models import AgencyDocument

pytestmark = pytest.mark.django_db
API = "/api/services/documents"


def upload(client, aut, content, name="loi-25-90.pdf", **fields):
    data = {"agency": aut.pk, "kind": "loi", "reference": "Loi n° 25-90", "title_fr": "Loi relative aux lotissements",
            "title_ar": "قانون التجزئات العقارية", "summary_fr": "Lotissements, groupes d'habitations, morcellements.",
            "published_on": "1992-06-17", "file": SimpleUploadedFile(name, content), **fields}
    return client.post(reverse("admin:es_documents_agencydocument_add"), data)


@pytest.fixture
def law(client, agent, aut, pdf_bytes):
    client.force_login(agent)
    response = upload(client, aut, pdf_bytes)
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    return AgencyDocument.objects.get(reference="Loi n° 25-90")


def test_search_in_french_with_stemming_and_in_arabic(client, law):
    assert "autorisation préalable" in law.body_text  # extracted from the PDF by pdftotext
    # The text has "autorisation préalable" in the singular only: French stemming matches the plural.
    found = client.get(API, {"q": "autorisations préalables"}).json()["documents"]
    assert [d["id"] for d in found] == [law.pk] and "<b>" in found[0]["snippet"]
    found = client.get(API, {"q": "التجزئات", "lang": "ar"}).json()["documents"]
    assert [d["id"] for d in found] == [law.pk] and found[0]["title"] == "قانون التجزئات العقارية"
    # Without the article, with a clitic, with diacritics: the same word.
    for variant in ("تجزئات", "بالتجزئات", "التَّجْزِئات", "العقارية والتجزئات"):
        assert [d["id"] for d in client.get(API, {"q": variant}).json()["documents"]] == [law.pk], variant
    assert client.get(API, {"q": "expropriation"}).json()["documents"] == []
    assert client.get(API, {"q": "lotissement -commune"}).json()["documents"] == []  # web-search syntax
    page = client.get(reverse("eservices:documents"), {"q": "lotissements"}).content.decode()
    assert "Loi relative aux lotissements" in page
    assert 'href="/services/documents/?q=lotissements&amp;lang=ar" hreflang="ar"' in page  # same search in Arabic


def test_download_and_qr_code(client, law, pdf_bytes, tmp_path):
    response = client.get(reverse("eservices:document-download", args=[law.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf_bytes
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    html = client.get(reverse("eservices:document", args=[law.pk])).content.decode()
    qr = re.search(r'id="qr" src="([^"]+)"', html).group(1)
    assert decode_qr_data_uri(qr, tmp_path) == f"http://testserver/services/documents/{law.pk}/"
    assert AuditEvent.objects.filter(item_type="document", item_ref=str(law.pk), action="published").exists()


def test_a_disguised_or_non_pdf_file_is_refused(client, agent, aut, png_bytes):
    client.force_login(agent)
    for content in (DISGUISED, png_bytes):
        response = upload(client, aut, content)
        assert response.status_code == 200 and "is not an accepted type" in response.content.decode()
    assert not AgencyDocument.objects.exists()


def test_bad_search_parameters_and_unknown_document(client):
    assert client.get(API, {"kind": "roman"}).status_code == 400
    assert client.get(API, {"agency": "ZZZ"}).status_code == 400
    assert client.get(API, {"q": "x" * 201}).status_code == 400
    response = client.get(f"{API}/987654")
    assert response.status_code == 404 and "no document 987654" in response.json()["description"]



def test_arabic_folding_is_the_same_in_python_and_postgresql():
    from geoportal.eservices.documents.arabic import normalise, normalised

    text = "للتعمير والتجزئات بالمدينة إعداد آثار مُصادَقة الطريق"
    expected = "تعمير تجزئات مدينه اعداد اثار مصادقه طريق"
    assert normalise(text) == expected
    document = AgencyDocument.objects.create(kind="loi", title_fr="x", title_ar=text, file="x.pdf")
    folded = AgencyDocument.objects.filter(pk=document.pk).annotate(folded=normalised("title_ar"))
    assert folded.values_list("folded", flat=True).get() == expected
