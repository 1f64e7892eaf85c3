/* Starts GeoDjango's OpenLayers map widgets (gis/js/OLMapWidget.js) from the JSON options each widget
 * writes (frontend/admin/map_widget.html), instead of the inline script of gis/openlayers.html.
 * The base layer is the deployment's XYZ base map, else an empty layer: never OpenStreetMap's servers. */
(function () {
  "use strict";
  function start() {
    document.querySelectorAll(".dj_map_wrapper[data-map-options]").forEach(function (wrapper) {
      var options = JSON.parse(document.getElementById(wrapper.dataset.mapOptions).textContent);
      options.base_layer = options.base_map_url ?
        new ol.layer.Tile({source: new ol.source.XYZ({url: options.base_map_url})}) :
        new ol.layer.Vector({source: new ol.source.Vector()});
      window[options.module] = new MapWidget(options);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
