/* The scripts of pygeoapi's HTML pages (layers/serving/templates), as one static file: the site's CSP runs no
 * inline script. Whatever a page shows comes from data-* attributes and becomes text nodes, never HTML:
 * a published label such as "<img src=x onerror=…>" is displayed, not run. */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var json = function (node, name) { return JSON.parse(node.dataset[name]); };

  function text(tag, value) {
    var node = document.createElement(tag);
    node.textContent = value == null ? "" : String(value);
    return node;
  }

  /* A Leaflet map in `node`, with the configured XYZ base map (none by default: nothing from outside). */
  function leafletMap(node, options) {
    var map = L.map(node, Object.assign({maxZoom: 18}, options)).setView([31.8, -7.1], 5);
    if (node.dataset.baseMapUrl) {
      map.addLayer(L.tileLayer(node.dataset.baseMapUrl, {maxZoom: 18}));
      // Leaflet's attribution is HTML: the configured text goes in as text.
      map.attributionControl.addAttribution(text("span", node.dataset.baseMapAttribution).outerHTML);
    }
    return map;
  }

  function itemsMap(node) {
    var map = leafletMap(node), path = node.dataset.itemsPath, titleField = node.dataset.titleField;
    var items = L.geoJSON(json(node, "features"), {
      onEachFeature: function (feature, layer) {
        var link = text("a", titleField ? feature.properties[titleField] : feature.id);
        link.href = path + "/" + encodeURIComponent(feature.id) + "?f=html";
        layer.bindPopup(link);
      }
    });
    var markers = L.markerClusterGroup({disableClusteringAtZoom: 9, chunkedLoading: true, chunkInterval: 500});
    map.addLayer(markers.addLayer(items));
    map.fitBounds(items.getBounds());
  }

  function itemMap(node) {
    var map = leafletMap(node), item = L.geoJSON(json(node, "feature")).addTo(map);
    map.fitBounds(item.getBounds(), {maxZoom: 15});
  }

  function collectionMap(node) {
    var map = leafletMap(node), b = json(node, "bbox");
    var box = L.rectangle([[b[1], b[0]], [b[3], b[2]]]).addTo(map);
    map.fitBounds(box.getBounds(), {maxZoom: 10});
  }

  function tilesMap(node) {
    var select = $("tilingScheme"), link = $("metadata_link");
    var scheme = new URL(document.location).searchParams.get("scheme") || select.value;
    select.value = scheme;
    link.href = link.dataset.template.replace("{scheme}", encodeURIComponent(scheme));
    select.addEventListener("change", function () { document.location.search = "scheme=" + encodeURIComponent(select.value); });
    var maxZoom = json(node, "maxzoom"), b = json(node, "bounds");
    var map = leafletMap(node, scheme === "WorldCRS84Quad" ? {crs: L.CRS.EPSG4326} : {});
    if (scheme === "WorldCRS84Quad") node.after(text("div", "Warning: Basemap may be in a different projection"));
    var url = node.dataset.tilesUrl.replace("{dataset}", node.dataset.collection).replace("{tileMatrixSetId}", scheme)
      .replace("tileMatrix", "z").replace("tileRow", "y").replace("tileCol", "x");
    if (node.dataset.tileType === "vector") {
      L.vectorGrid.protobuf(url, {interactive: true, rendererFactory: L.canvas.tile, maxZoom: maxZoom}).addTo(map);
    } else {
      L.tileLayer(url, {maxZoom: maxZoom}).addTo(map);
    }
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]], {maxZoom: maxZoom});
  }

  function limits(select) {
    var params = new URL(document.location).searchParams;
    select.value = params.get("limit") || select.options[0].value;
    select.addEventListener("change", function () { document.location.search = "limit=" + encodeURIComponent(select.value); });
  }

  /* The base layout: the standalone one adds a top bar whose logo is an SVG with an inline <style>. */
  function swagger(node) {
    window.ui = SwaggerUIBundle({url: node.dataset.openapiUrl, dom_id: "#swagger-ui", deepLinking: true,
                                 presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout"});
  }

  var pages = {"items-map": itemsMap, "item-map": itemMap, "collection-map": collectionMap, "tiles-map": tilesMap,
               "limits": limits, "swagger-ui": swagger};
  Object.keys(pages).forEach(function (id) { if ($(id)) pages[id]($(id)); });
})();
