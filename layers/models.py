"""Publishing: the registry of layers served on the OGC API (see the layers issue)."""
