/* Tools of the web map: measure a distance or a surface, and "locate me".
 * Measures are computed by the server (/api/measure) in the Lambert CRS of the agency where the drawing
 * starts (EPSG:26191/26192/26194/26195, metres and m²), the figures the agency's surveyors read; the answer
 * names the CRS. "Locate me" asks the browser for the position (navigator.geolocation, through Leaflet). */
(function () {
  "use strict";

  function number(value, lang, digits) {
    return value.toLocaleString(lang === "ar" ? "ar-MA" : "fr-FR", {maximumFractionDigits: digits});
  }

  window.GeoportalTools = function (map, C, message, onLocated) {
    var S = C.strings, mode = null, vertices = [], asked = 0;
    var drawn = L.featureGroup().addTo(map);
    var box = L.DomUtil.create("div", "measure-result");
    box.setAttribute("role", "status");
    box.hidden = true;

    function button(parent, id, label, glyph, handler) {
      var b = L.DomUtil.create("button", "tool-button", parent);
      b.type = "button"; b.id = id; b.title = label; b.setAttribute("aria-label", label);
      b.setAttribute("aria-pressed", "false");
      b.textContent = glyph;
      L.DomEvent.on(b, "click", function (e) { L.DomEvent.stop(e); handler(b); });
      return b;
    }

    function show(answer) {
      var lines = [];
      if (answer.kind === "line") lines.push(S.distance + " : " + number(answer.length_m, C.lang, 2) + " " + S.metres);
      else {
        lines.push(S.area + " : " + number(answer.area_m2, C.lang, 1) + " " + S.square_metres);
        lines.push(S.perimeter + " : " + number(answer.perimeter_m, C.lang, 2) + " " + S.metres);
      }
      lines.push(answer.crs + " (" + answer.zone + ")");
      box.replaceChildren();
      lines.forEach(function (text) { var p = document.createElement("div"); p.textContent = text; box.appendChild(p); });
      box.dataset.kind = answer.kind;
      box.dataset.crs = answer.crs;
      box.dataset.vertices = answer.vertices;
      box.dataset.value = answer.kind === "line" ? answer.length_m : answer.area_m2;
      box.hidden = false;
    }

    function redraw() {
      drawn.clearLayers();
      var style = {color: C.styles.selection, weight: 3, dashArray: "6 4"};
      if (mode === "area" && vertices.length > 2) L.polygon(vertices, style).addTo(drawn);
      else if (vertices.length > 1) L.polyline(vertices, style).addTo(drawn);
      vertices.forEach(function (v) { L.circleMarker(v, {radius: 4, color: C.styles.selection}).addTo(drawn); });
      var needed = mode === "area" ? 3 : 2;
      if (vertices.length < needed) return;
      var points = vertices.map(function (v) { return v.lng.toFixed(7) + "," + v.lat.toFixed(7); }).join(";");
      var ask = ++asked;  // answers may come back out of order: only the latest drawing's is shown
      fetch("/api/measure?kind=" + mode + "&points=" + encodeURIComponent(points), {headers: {Accept: "application/json"}})
        .then(function (r) { return r.json().then(function (b) { return r.ok ? b : Promise.reject(new Error(b.description)); }); })
        .then(function (answer) { if (ask === asked) show(answer); })
        .catch(function (err) { if (ask === asked) message(err.message); });
    }

    function setMode(next, buttons) {
      mode = mode === next ? null : next;
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", b.dataset.mode === mode ? "true" : "false"); });
      map.getContainer().classList.toggle("measuring", !!mode);
      asked++;  // a measure still on its way belongs to the previous drawing
      if (mode) { vertices = []; drawn.clearLayers(); box.hidden = true; message(S.measure_hint); }
      else message("");
    }

    var control = L.control({position: "topleft"});
    control.onAdd = function () {
      var bar = L.DomUtil.create("div", "leaflet-bar map-tools");
      var buttons = [];
      var line = button(bar, "measure-line", S.measure_line, "↔", function () { setMode("line", buttons); });
      var area = button(bar, "measure-area", S.measure_area, "▢", function () { setMode("area", buttons); });
      line.dataset.mode = "line"; area.dataset.mode = "area";
      buttons.push(line, area);
      button(bar, "measure-clear", S.measure_clear, "✕", function () {
        vertices = []; drawn.clearLayers(); box.hidden = true; asked++;
        if (mode) setMode(mode, buttons);
      });
      button(bar, "locate", S.locate, "◎", function () { map.locate({setView: true, maxZoom: 18, timeout: 10000}); });
      bar.appendChild(box);
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    };
    control.addTo(map);

    var here = L.featureGroup().addTo(map);
    map.on("locationfound", function (e) {
      here.clearLayers();
      L.circle(e.latlng, {radius: e.accuracy, color: C.styles.selection, weight: 1, fillOpacity: 0.1}).addTo(here);
      L.circleMarker(e.latlng, {radius: 7, color: "#fff", weight: 2, fillColor: C.styles.selection, fillOpacity: 1})
        .addTo(here).bindTooltip(S.you_are_here.replace("%s", Math.round(e.accuracy)));
      document.body.setAttribute("data-located", e.latlng.lat.toFixed(6) + "," + e.latlng.lng.toFixed(6));
      if (onLocated) onLocated(e.latlng);
    });
    map.on("locationerror", function () { message(S.locate_failed); });

    return {
      /* The surface last drawn with the ▢ tool as WKT (lon/lat, EPSG:4326), or null: an observation's place. */
      area: function () {
        if (mode !== "area" || vertices.length < 3) return null;
        var ring = vertices.concat([vertices[0]]).map(function (v) { return v.lng.toFixed(7) + " " + v.lat.toFixed(7); });
        return "POLYGON((" + ring.join(", ") + "))";
      },
      /* True while measuring: map clicks add vertices instead of asking what applies there. */
      click: function (latlng) {
        if (!mode) return false;
        vertices.push(latlng);
        redraw();
        return true;
      }
    };
  };
})();
