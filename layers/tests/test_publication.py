"""Publishing and unpublishing a layer takes effect at once in every worker of the live server.

The flag is committed (outside the test transaction) so that the server's
processes see it, and restored afterwards.
"""
import json
import urllib.error
import urllib.request

import pytest

from layers.models import LayerPublication
from layers.serving.registry import set_published

REQUESTS = 12  # several per gunicorn worker (the live server runs 2)


def _status(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def committed(django_db_blocker):
    with django_db_blocker.unblock():
        yield
        LayerPublication.objects.filter(collection="communes").delete()


def test_unpublish_and_publish_take_effect_in_every_worker(live_server_url, committed):
    items = f"{live_server_url}/ogc/collections/communes/items"
    assert all(_status(items)[0] == 200 for _ in range(REQUESTS))

    set_published("communes", False)
    statuses = [_status(items)[0] for _ in range(REQUESTS)]
    assert statuses == [404] * REQUESTS
    status, body = _status(f"{live_server_url}/ogc/collections?f=json")
    assert "communes" not in {c["id"] for c in json.loads(body)["collections"]}
    status, _ = _status(f"{live_server_url}/ogc/collections/communes/tiles/WebMercatorQuad/0/0/0")
    assert status == 404

    set_published("communes", True)
    assert [_status(items)[0] for _ in range(REQUESTS)] == [200] * REQUESTS
