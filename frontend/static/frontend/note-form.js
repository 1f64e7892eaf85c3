/* The note request form's map: draw the parcel's outline, sent as GeoJSON (EPSG:4326) in #geometry. */
(function () {
  "use strict";
  var target = document.getElementById("draw-map");
  var source = new ol.source.Vector();
  var layers = [new ol.layer.Vector({source: source})];
  var baseUrl = target.dataset.baseMapUrl;
  if (baseUrl) { layers.unshift(new ol.layer.Tile({source: new ol.source.XYZ({url: baseUrl})})); }
  var map = new ol.Map({target: target, layers: layers,
    view: new ol.View({center: ol.proj.fromLonLat([-5.3626, 35.5889]), zoom: 15})});
  var draw = new ol.interaction.Draw({source: source, type: "Polygon"});
  map.addInteraction(draw);
  var format = new ol.format.GeoJSON();
  draw.on("drawend", function (event) {
    source.clear();
    document.getElementById("geometry").value = format.writeGeometry(event.feature.getGeometry(),
      {featureProjection: "EPSG:3857", dataProjection: "EPSG:4326"});
    document.getElementById("crs").value = "EPSG:4326";
  });
  document.getElementById("clear-drawing").addEventListener("click", function () {
    source.clear(); document.getElementById("geometry").value = "";
  });
})();
