"""Size limits hold before the bytes are read (issue 13, item 7), measured on the live server's workers.

A client that streams a 400 MiB note upload is answered 413 on its Content-Length while it is still sending:
the gunicorn workers' resident memory does not grow (before this, the worker went from 245 to 613 MiB). A
complaint attachment over its limit inside an acceptable body is stopped while Django streams it.
"""
import http.client
import json
import threading
import time
from urllib.parse import urlsplit

import psutil
import pytest

MIB = 2**20
BOUNDARY = "----attack-boundary"


def workers(base):
    """The gunicorn worker processes of the live server at `base`."""
    port = urlsplit(base).port
    for process in psutil.process_iter(["cmdline"]):
        line = " ".join(process.info["cmdline"] or [])
        if "gunicorn" in line and f"127.0.0.1:{port}" in line:
            return process.children()
    raise AssertionError(f"no gunicorn master for {base}")


class PeakRss:
    """The highest resident set (MiB) of `processes`, sampled every 20 ms while the block runs."""

    def __init__(self, processes):
        self.processes, self.peak, self._stop = processes, 0.0, threading.Event()

    def rss(self):
        return max(p.memory_info().rss for p in self.processes) / MIB

    def __enter__(self):
        self.before = self.rss()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(0.02)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.after = self.rss()


def stream_multipart(base, path, field, filename, size, fields=()):
    """POST a multipart body with one file of `size` bytes, sent for real; (status, JSON body, bytes sent)."""
    head = "".join(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields)
    head += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
             "Content-Type: application/octet-stream\r\n\r\n")
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    connection.putheader("Content-Length", str(len(head.encode()) + size + len(tail)))
    connection.endheaders()
    sent, chunk = 0, b"{" + b" " * (MIB - 1)
    try:
        connection.send(head.encode())
        while sent < size:
            connection.send(chunk[:size - sent])
            sent += min(MIB, size - sent)
        connection.send(tail)
    except OSError:
        pass  # the server answered and closed while the client was still sending: what a limit should do
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, json.loads(body), sent


def test_a_400_mib_note_upload_is_refused_before_it_is_read(live_server_url):
    with PeakRss(workers(live_server_url)) as memory:
        status, body, sent = stream_multipart(live_server_url, "/api/notes", "file", "big.geojson", 400 * MIB)
    print(f"\n400 MiB note upload: worker RSS {memory.before:.0f} MiB before, peak {memory.peak:.0f}, after "
          f"{memory.after:.0f}; {sent / MIB:.0f} MiB sent before the answer")
    assert status == 413 and "NOTE_MAX_FILE_BYTES" in body["description"], body
    assert memory.peak - memory.before < 20, (memory.before, memory.peak)


@pytest.mark.parametrize("size_mib", [12, 30])
def test_a_complaint_attachment_over_its_limit_is_stopped_while_streaming(live_server_url, size_mib):
    fields = [("agency", "AUT"), ("kind", "reclamation"), ("category", "autre"), ("subject", "x"), ("text", "y")]
    with PeakRss(workers(live_server_url)) as memory:
        status, body, _sent = stream_multipart(live_server_url, "/api/services/complaints", "attachments", "a.pdf",
                                               size_mib * MIB, fields)
    assert status == 413 and "ESERVICES_MAX_ATTACHMENT_BYTES" in body["description"], body
    assert memory.peak - memory.before < 20, (memory.before, memory.peak)
