"""Classic OGC services at /ows: WMS 1.3.0 and WFS 2.0 of the public layers, answered by MapServer.

The mapfile is generated from the layer registry and the plans' vocabulary (mapfile.py), the query validated
before MapServer sees it (params.py), and MapServer's own OWS dispatcher (python3-mapscript) answers it (engine.py):
no protocol is written here.
"""
