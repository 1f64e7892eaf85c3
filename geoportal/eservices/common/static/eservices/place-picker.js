/* A map to click the place concerned: fills the lon/lat inputs; territories from the page's JSON, no outside tiles unless BASE_MAP_URL is set. */
(function () {
  "use strict";
  var fc = JSON.parse(JSON.parse(document.getElementById("territories-data").textContent));
  var source = new ol.source.Vector({features: new ol.format.GeoJSON().readFeatures(fc, {featureProjection: "EPSG:3857"})});
  var marker = new ol.source.Vector();
  var layers = [];
  var base = document.getElementById("place-map").dataset.base;
  if (base) { layers.push(new ol.layer.Tile({source: new ol.source.XYZ({url: base})})); }
  layers.push(new ol.layer.Vector({source: source}), new ol.layer.Vector({source: marker}));
  var map = new ol.Map({target: "place-map", layers: layers, view: new ol.View()});
  var agency = document.getElementById("id_agency");
  function fitAgency() {
    var f = source.getFeatures().filter(function (x) { return x.get("code") === agency.value; })[0];
    map.getView().fit(f ? f.getGeometry().getExtent() : source.getExtent(), {padding: [10, 10, 10, 10]});
  }
  fitAgency();
  agency.addEventListener("change", fitAgency);
  map.on("click", function (e) {
    var ll = ol.proj.toLonLat(e.coordinate);
    document.getElementById("id_lon").value = ll[0].toFixed(6);
    document.getElementById("id_lat").value = ll[1].toFixed(6);
    marker.clear();
    marker.addFeature(new ol.Feature(new ol.geom.Point(e.coordinate)));
  });
})();
