"""The replicas' gunicorn sends an answer's headers in the same write as its body (geoportal/gunicorn_conf.py): a
replica killed between two writes can no longer leave nginx with headers and no body. Through gunicorn's own
request parser and wsgi.create(), on a socket that records each write."""
import io

from gunicorn.config import Config
from gunicorn.http import wsgi
from gunicorn.http.parser import RequestParser

from geoportal import gunicorn_conf


class RecordingSocket:
    def __init__(self):
        self.writes = []

    def sendall(self, data):
        self.writes.append(bytes(data))


def _answer(body_chunks, headers):
    cfg = Config()
    request = next(iter(RequestParser(cfg, io.BytesIO(b"GET /api/place?lon=1&lat=2 HTTP/1.1\r\nHost: x\r\n\r\n"),
                                      ("127.0.0.1", 9))))
    sock = RecordingSocket()
    response, _ = wsgi.create(request, sock, ("127.0.0.1", 9), ("127.0.0.1", 8000), cfg)
    response.start_response("200 OK", headers)
    for chunk in body_chunks:
        response.write(chunk)
    response.close()
    return response, sock.writes


def test_headers_and_body_leave_in_one_write():
    body = b'{"zone": "D1"}'
    response, writes = _answer([body], [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    assert isinstance(response, gunicorn_conf.HeadersWithBody)
    assert len(writes) == 1, writes
    assert writes[0].startswith(b"HTTP/1.1 200 OK\r\n") and writes[0].endswith(b"\r\n\r\n" + body)


def test_a_chunked_answer_starts_with_its_headers_and_first_chunk():
    response, writes = _answer([b"first", b"second"], [("Content-Type", "text/plain")])
    assert response.chunked
    assert writes[0].startswith(b"HTTP/1.1 200 OK\r\n") and writes[0].endswith(b"\r\n\r\n5\r\nfirst\r\n"), writes
    assert writes[1:] == [b"6\r\nsecond\r\n", b"0\r\n\r\n"]


def test_an_empty_answer_sends_its_headers_at_the_end():
    _, writes = _answer([], [("Content-Length", "0")])
    assert len(writes) == 1 and writes[0].startswith(b"HTTP/1.1 200 OK\r\n") and writes[0].endswith(b"\r\n\r\n")


def test_stock_gunicorn_writes_headers_apart(monkeypatch):
    """The oracle: without the configuration, the same answer takes two writes (the gap it closes)."""
    monkeypatch.setattr(wsgi, "Response", gunicorn_conf.HeadersWithBody.__mro__[1])
    body = b'{"zone": "D1"}'
    _, writes = _answer([body], [("Content-Length", str(len(body)))])
    assert len(writes) == 2 and writes[1] == body
