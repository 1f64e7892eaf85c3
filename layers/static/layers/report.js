/* The validation report's map: the uploaded features, a dot per issue; a click on a row zooms to its issue. */
(function () {
  "use strict";
  var target = document.getElementById("map");
  var features = new ol.source.Vector({url: target.dataset.featuresUrl, format: new ol.format.GeoJSON({featureProjection: "EPSG:3857"})});
  var issues = new ol.source.Vector();
  var rows = document.querySelectorAll("#issues tr.pick");
  rows.forEach(function (row) {
    if (!row.dataset.lon) return;
    var f = new ol.Feature(new ol.geom.Point(ol.proj.fromLonLat([+row.dataset.lon, +row.dataset.lat])));
    f.set("severity", row.classList.contains("error") ? "error" : "warning");
    issues.addFeature(f);
  });
  var dot = function (color) { return new ol.style.Style({image: new ol.style.Circle({radius: 6, fill: new ol.style.Fill({color: color}), stroke: new ol.style.Stroke({color: "#fff", width: 2})})}); };
  var map = new ol.Map({target: target, layers: [
      new ol.layer.Vector({source: features, style: new ol.style.Style({stroke: new ol.style.Stroke({color: "#17456b", width: 1}), fill: new ol.style.Fill({color: "rgba(23,69,107,.08)"})})}),
      new ol.layer.Vector({source: issues, style: function (f) { return dot(f.get("severity") === "error" ? "#c1121f" : "#e09f3e"); }})],
    view: new ol.View({center: [0, 0], zoom: 2})});
  features.once("featuresloadend", function () { if (!features.isEmpty()) map.getView().fit(features.getExtent(), {padding: [20, 20, 20, 20]}); });
  rows.forEach(function (row) {
    row.addEventListener("click", function () { if (row.dataset.lon) { map.getView().animate({center: ol.proj.fromLonLat([+row.dataset.lon, +row.dataset.lat]), zoom: 18}); } });
  });
})();
