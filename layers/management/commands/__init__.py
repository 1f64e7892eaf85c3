"""Commands of the layers app (publish_layer, ogc_layers), at the edge: may import serving, publishing and below."""
