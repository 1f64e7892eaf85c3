"""gunicorn's configuration for every app replica (`gunicorn -c python:geoportal.gunicorn_conf`): an answer's
status line and headers go out in the same write as its body.

gunicorn 27 writes the headers, then the body, in two calls, and with threaded workers another thread may hold the
GIL between them. A replica killed (kill -9, OOM) in that gap leaves nginx with the headers of an answer and no
body: nginx has already passed the headers on, so it cannot send the GET to the other replica, and the client gets
a cut answer (1 of 1,797 GETs under `make faults`, kill -9 of app1). Sent in one write, an answer that fits the
socket's buffer reaches nginx whole or not at all, and a GET that got nothing is re-sent (proxy_next_upstream).
gunicorn has no setting for this; the subclass below changes only where the header bytes are written.
"""
from gunicorn.http import wsgi


class _Held:
    """Stands for the socket while gunicorn writes the headers: keeps the bytes."""

    def __init__(self):
        self.data = b""

    def sendall(self, data):
        self.data += data


class HeadersWithBody(wsgi.Response):
    """A gunicorn response that holds its headers until the first body bytes (or the end) and sends both at once."""

    _held = b""

    def send_headers(self):
        if self.headers_sent:
            return
        sock, self.sock = self.sock, _Held()
        try:
            super().send_headers()
        finally:
            self._held, self.sock = self.sock.data, sock

    def _release(self, data=b""):
        held, self._held = self._held, b""
        self.sock.sendall(held + data)

    def _emit_body(self, data):
        if not self._held:
            return super()._emit_body(data)
        self._release(b"%X\r\n%s\r\n" % (len(data), data) if self.chunked else data)

    def can_sendfile(self):
        return False  # sendfile() writes the headers by itself: files are sent by write() instead

    def close(self):
        if not self.headers_sent:
            self.send_headers()
        if self._held:
            self._release()
        super().close()


wsgi.Response = HeadersWithBody  # wsgi.create() makes every HTTP/1 response from this name
