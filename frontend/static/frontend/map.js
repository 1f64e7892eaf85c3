/* The public web map: layers (OGC vector tiles), click lookup, search, permalink, plan history.
 * Everything is fetched from this server: Leaflet and VectorGrid are vendored, the base map is our
 * own boundaries unless the deployment configures an XYZ base map (BASE_MAP_URL). */
(function () {
  "use strict";
  var C = JSON.parse(document.getElementById("map-config").textContent);
  var S = C.strings, AR = C.lang === "ar", el = window.GeoportalDom.el;
  // Leaflet's layer switcher writes layer names as HTML: every name is escaped (a sheet's title is published data).
  var layerName = window.GeoportalDom.esc;
  var families = C.styles.zoneFamilies.map(function (f) { return {f: f, re: new RegExp(f.pattern)}; });
  var today = new Date().toISOString().slice(0, 10);
  var $ = function (id) { return document.getElementById(id); };

  // VectorGrid 1.3 calls an API Leaflet 1.8 removed; a no-op keeps map clicks flowing to our lookup.
  if (!L.DomEvent.fakeStop) L.DomEvent.fakeStop = function () {};

  function zoneColour(code) {
    for (var i = 0; i < families.length; i++) if (families[i].re.test(code || "")) return families[i].f.colour;
    return "#d4d4d4";
  }
  function servitudeColour(kind) { return C.styles.servitudeColours[kind] || C.styles.servitudeColours.other; }

  function getJson(url) {
    return fetch(url, {headers: {Accept: "application/json"}}).then(function (r) {
      return r.json().then(function (body) { return r.ok ? body : Promise.reject(new Error(body.description || r.status)); });
    });
  }

  var map = L.map("map", {preferCanvas: true, zoomSnap: 1, minZoom: 5, maxZoom: 20});
  map.attributionControl.setPrefix(false);
  // The tool bar wraps and settles after the map is made (phones): Leaflet must learn the map's new size, else a
  // permalink's centre is drawn off the visual centre (by ~70 px at 360 × 740) and the view drifts on every load.
  if (window.ResizeObserver) new ResizeObserver(function () { map.invalidateSize(); }).observe($("map"));
  // The plans in force today (an agency's own on /carte/?agency=…), computed by the server; else all of Morocco.
  var b = C.initialBounds;
  if (b) map.fitBounds([[b[1], b[0]], [b[3], b[2]]], {maxZoom: 16}); else map.setView([31.8, -7.1], 6);
  var panel = new window.GeoportalPanel(C, $("panel"), $("panel-body"));
  var state = {date: "", parcel: null, agency: C.initialAgency, inForce: {}};
  var bases = {}, overlays = {}, layersById = {};

  if (C.map.baseMapUrl) {
    bases[layerName(S.base_map)] = L.tileLayer(C.map.baseMapUrl, {attribution: C.map.baseMapAttribution, maxZoom: 20}).addTo(map);
  }

  /* Styles of the MVT layers (their name is the collection id). */
  var styles = {
    communes: {weight: 1, color: "#9a9ab5", dashArray: "4 3", fill: false},
    zones: function (p) {
      return {fill: true, fillColor: zoneColour(p.code), fillOpacity: 0.6, color: "#666", weight: 0.6};
    },
    servitudes: function (p) {
      return {fill: true, fillColor: servitudeColour(p.kind), fillOpacity: 0.2, color: servitudeColour(p.kind),
              weight: 1.2, dashArray: "5 3"};
    },
    roads: {fill: true, fillColor: "#ffffff", fillOpacity: 0.9, color: "#8c8c8c", weight: 1},
    equipment: {fill: true, fillColor: servitudeColour("equipment"), fillOpacity: 0.35, color: "#1d4f85", weight: 1.2},
    parcels: {fill: false, color: C.styles.parcel, weight: 0.5, opacity: 0.7},
    // A draft under public inquiry: its own colours, pale, outlined in the draft colour, dashed: never law.
    "zones-inquiry": function (p) {
      return {fill: true, fillColor: zoneColour(p.code), fillOpacity: 0.3, color: C.styles.draft, weight: 1.5,
              dashArray: "6 4"};
    },
    "servitudes-inquiry": function (p) {
      return {fill: true, fillColor: servitudeColour(p.kind), fillOpacity: 0.2, color: C.styles.draft, weight: 1.5,
              dashArray: "2 3"};
    },
    observations: {radius: 6, fill: true, fillColor: C.styles.draft, fillOpacity: 0.8, color: "#ffffff", weight: 1.5},
    "changes-inquiry": function (p) {
      var colour = (C.styles.changes[p.change] || C.styles.changes.changed).colour;
      return {fill: true, fillColor: colour, fillOpacity: 0.35, color: colour, weight: 1.5, dashArray: "6 4"};
    }
  };

  function historyFilter(p) {
    // Tiles carry plan_id (one id per plan version), not the plan reference.
    return state.inForce[p.plan_id] ? styles.zones(p) : [];
  }

  function vectorLayer(spec, collection, url, style) {
    var layerStyles = {};
    layerStyles[collection] = style || styles[spec.id];
    var layer = L.vectorGrid.protobuf(url, {
      vectorTileLayerStyles: layerStyles, rendererFactory: L.canvas.tile, interactive: spec.id === "zones",
      minZoom: spec.min_zoom, maxZoom: 20, maxNativeZoom: 20,
      getFeatureId: function (f) { return f.properties.id || f.id; }
    });
    if (spec.id === "zones") {
      layer.on("mouseover", function (e) {
        var id = layer.options.getFeatureId(e.layer);
        if (id != null) layer.setFeatureStyle(id, {fill: true, fillColor: zoneColour(e.layer.properties.code),
          fillOpacity: 0.8, color: C.styles.selection, weight: 3});
        layer._hovered = id;
      });
      layer.on("mouseout", function () { if (layer._hovered != null) layer.resetFeatureStyle(layer._hovered); });
    }
    return layer;
  }

  // Offline background: agency territories (simplified GeoJSON), unless an XYZ base map is configured.
  map.createPane("background").style.zIndex = 150;  // under the tile pane (200)
  var territories = L.geoJSON(null, {interactive: false, pane: "background", renderer: L.canvas({pane: "background"}),
    style: C.map.baseMapUrl ?
    {weight: 2, color: "#6b6b8f", fill: false} : {weight: 2, color: "#6b6b8f", fillColor: "#f7f6f0", fillOpacity: 1}
  }).addTo(map);
  getJson("/api/territories").then(function (fc) { territories.addData(fc); territories.bringToBack(); });
  var inquiries = [];  // the drafts under public inquiry today (/api/inquiries: perimeters, lon/lat)
  var inquiriesLoaded = getJson("/api/inquiries").then(function (fc) {
    inquiries = fc.features;
    state.inquiries = fc.features.length > 0;
  }).catch(function () { state.inquiries = false; });
  /* The draft under inquiry whose perimeter holds `latlng` (even-odd rule on its rings), or null. */
  function inquiryAt(latlng) {
    function inRing(ring) {
      var inside = false;
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
        if ((yi > latlng.lat) !== (yj > latlng.lat) &&
            latlng.lng < (xj - xi) * (latlng.lat - yi) / (yj - yi) + xi) inside = !inside;
      }
      return inside;
    }
    return inquiries.filter(function (f) {
      var polygons = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
      return polygons.some(function (rings) { return rings.filter(inRing).length % 2 === 1; });
    })[0] || null;
  }

  C.map.vectorLayers.forEach(function (spec) {
    var layer = vectorLayer(spec, spec.collection, spec.url);
    layersById[spec.id] = layer;
    if (spec.background) layer.addTo(map); else overlays[layerName(spec.label)] = layer;
  });
  C.map.rasterOverlays.forEach(function (spec) {
    var layer = L.tileLayer(spec.url, {minZoom: spec.min_zoom || 0, maxZoom: 20, opacity: 0.8,
                                       attribution: spec.attribution || "", bounds: spec.bounds || undefined});
    layersById[spec.id] = layer;
    overlays[layerName(AR ? spec.label_ar : spec.label_fr)] = layer;
  });

  var plansLayer = L.geoJSON(null, {
    style: {color: C.styles.perimeter, weight: 2.5, fill: true, fillOpacity: 0.03},
    onEachFeature: function (f, layer) {
      // A node, not a string: Leaflet puts a string tooltip into innerHTML.
      layer.bindTooltip(el("span", {}, [(AR ? f.properties.title_ar : f.properties.title_fr) + " (v" + f.properties.version + ")"]));
      layer.on("mouseover", function () { layer.setStyle({weight: 4, color: C.styles.selection}); });
      layer.on("mouseout", function () { plansLayer.resetStyle(layer); });
    }
  }).addTo(map);
  layersById.plans = plansLayer;
  overlays[layerName(S.plans)] = plansLayer;
  // Zoomed out (the whole country), a plan is a few pixels: a labelled pin per plan leads to it.
  var planPins = L.featureGroup();
  function drawPins() {
    planPins.clearLayers();
    plansLayer.eachLayer(function (layer) {
      var f = layer.feature;
      L.circleMarker(layer.getBounds().getCenter(), {radius: 8, color: "#fff", weight: 2, fillColor: C.styles.perimeter,
                                                      fillOpacity: 0.9, className: "plan-pin"})
        .bindTooltip(el("span", {}, [AR ? f.properties.title_ar : f.properties.title_fr]))
        .on("click", function (e) { L.DomEvent.stop(e); map.fitBounds(layer.getBounds(), {maxZoom: 16}); })
        .addTo(planPins);
    });
    showPins();
  }
  function showPins() {
    if (map.getZoom() < 11 && map.hasLayer(plansLayer)) planPins.addTo(map); else map.removeLayer(planPins);
  }
  map.on("zoomend overlayadd overlayremove", showPins);
  var selection = L.featureGroup().addTo(map);
  var svg = L.svg();  // the buildable footprint is drawn as SVG (a dashed outline over the canvas layers)

  /* Permalink: #map=z/lat/lon&layers=a,b&parcel=TF…&date=YYYY-MM-DD */
  var defaultVisible = ["plans"].concat(C.map.vectorLayers.filter(function (l) { return !l.background && l.visible; })
    .map(function (l) { return l.id; }));
  function readHash() {
    var h = new URLSearchParams(location.hash.replace(/^#/, ""));
    var view = (h.get("map") || "").split("/").map(Number);
    return {view: view.length === 3 && view.every(isFinite) ? view : null,
            layers: h.has("layers") ? h.get("layers").split(",").filter(Boolean) : defaultVisible,
            parcel: h.get("parcel"), date: h.get("date") || "", point: h.get("point")};
  }
  function writeHash() {
    var c = map.getCenter(), h = [];
    var put = function (k, v) { h.push(k + "=" + encodeURIComponent(v).replace(/%2F/g, "/").replace(/%2C/g, ",")); };
    put("map", map.getZoom() + "/" + c.lat.toFixed(5) + "/" + c.lng.toFixed(5));
    put("layers", Object.keys(layersById).filter(function (id) {
      return map.hasLayer(layersById[id]) && !(C.map.vectorLayers.find(function (l) { return l.id === id && l.background; }));
    }).join(","));
    if (state.parcel) put("parcel", state.parcel);
    else if (state.point) put("point", state.point);
    if (state.date) put("date", state.date);
    history.replaceState(null, "", location.pathname + location.search + "#" + h.join("&"));
    $("lang-switch").hash = h.join("&");
  }

  function applyLayers(ids) {
    Object.keys(overlays).forEach(function (name) {
      var layer = overlays[name];
      var id = Object.keys(layersById).find(function (k) { return layersById[k] === layer; });
      if (ids.indexOf(id) >= 0) layer.addTo(map); else map.removeLayer(layer);
    });
  }

  var layerControl = L.control.layers(bases, overlays, {collapsed: window.innerWidth < 700}).addTo(map);
  L.control.scale({imperial: false}).addTo(map);
  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {
    var swatch = function (style, text) { return el("div", {}, [el("i", {style: style}), text]); };
    var div = el("div", {className: "legend"}, [el("details", {open: window.innerWidth >= 700}, [
      el("summary", {}, [S.legend])].concat(C.styles.zoneFamilies.map(function (f) {
        return swatch({background: f.colour}, AR ? f.label_ar : f.label_fr);
      }), [swatch({background: "none", border: "2px solid " + C.styles.perimeter}, S.plans)],
      C.map.vectorLayers.some(function (l) { return l.draft; }) ?
        [swatch({background: "none", border: "2px dashed " + C.styles.draft}, C.styles.draftNotice[AR ? "ar" : "fr"])]
          .concat(Object.keys(C.styles.changes).map(function (k) {
            var change = C.styles.changes[k];
            return swatch({background: change.colour, opacity: 0.6}, AR ? change.label_ar : change.label_fr);
          })) : []))]);
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo(map);

  /* Plans in force on the chosen date, and the zones of those versions. */
  function loadPlans(fit) {
    var url = "/api/plans" + (state.date ? "?date=" + encodeURIComponent(state.date) : "");
    return getJson(url).then(function (fc) {
      plansLayer.clearLayers().addData(fc);
      state.inForce = {};
      fc.features.forEach(function (f) { state.inForce[f.properties.id] = true; });
      drawPins();
      if (fit && fc.features.length) map.fitBounds(plansLayer.getBounds(), {maxZoom: 16});
      return fc;
    });
  }
  function switchZones() {
    var spec = C.map.vectorLayers.find(function (l) { return l.id === "zones"; });
    if (!spec) return;
    var wasOn = map.hasLayer(layersById.zones);
    map.removeLayer(layersById.zones);
    // Another date: the versions in force then are either past ones (zones-history) or still the current
    // ones (zones), so both collections are read and each keeps only the version in force that day.
    var layer = state.date && state.date !== today ? L.layerGroup([
      vectorLayer(spec, C.map.historyCollection, C.map.historyUrl, historyFilter),
      vectorLayer(spec, spec.collection, spec.url, historyFilter)]) : vectorLayer(spec, spec.collection, spec.url);
    Object.keys(overlays).forEach(function (k) {
      if (overlays[k] !== layersById.zones) return;
      overlays[k] = layer;
      layerControl.removeLayer(layersById.zones).addOverlay(layer, k);
    });
    layersById.zones = layer;
    if (wasOn) layer.addTo(map);
  }

  /* Lookups: a point, or a whole parcel. */
  function dateParam() { return state.date ? "&date=" + encodeURIComponent(state.date) : ""; }
  function showAnswer(answer, marker) {
    selection.clearLayers();
    if (marker) L.circleMarker(marker, {radius: 6, color: C.styles.selection, weight: 3}).addTo(selection);
    if (answer.parcel && answer.parcel.geometry) {
      L.geoJSON(answer.parcel.geometry, {style: {color: C.styles.selection, weight: 4, fillOpacity: 0.15}}).addTo(selection);
    }
    if (answer.buildable && answer.buildable.footprint) {
      L.geoJSON(answer.buildable.footprint, {interactive: false, className: "buildable-footprint", renderer: svg,
        style: {color: C.styles.footprint, weight: 2, dashArray: "6 3", fillOpacity: 0.35}}).addTo(selection);
    }
    panel.show(answer, zoneColour);
    // While a draft is under public inquiry here: what it would change on this parcel (not binding).
    if (answer.parcel && state.inquiries && !state.date) {
      getJson("/api/changes?parcel=" + encodeURIComponent(answer.parcel.title_number) +
              (state.agency ? "&agency=" + encodeURIComponent(state.agency) : ""))
        .then(function (body) {
          panel.showChanges(body);
          // …and the citizen may say so in the inquiry's register, pinned to this parcel, the point or an area.
          panel.showObserve(body.to, {parcel: answer.parcel.title_number, agency: answer.parcel.agency,
                                      point: marker, area: function () { return tools.area(); }});
        }).catch(function () { /* no draft covers it */ });
    } else if (!answer.parcel && marker && !state.date && inquiryAt(marker)) {
      // A point on no parcel (a road, a square) under a draft: an observation pinned to the point or an area.
      panel.showObserve({id: inquiryAt(marker).id}, {parcel: null, point: marker,
                                                    area: function () { return tools.area(); }});
    }
  }
  function lookupPoint(latlng) {
    message("");
    state.parcel = null;
    state.point = latlng.lat.toFixed(6) + "," + latlng.lng.toFixed(6);
    getJson("/api/place?lon=" + latlng.lng.toFixed(7) + "&lat=" + latlng.lat.toFixed(7) + dateParam())
      .then(function (answer) {
        if (answer.parcel) state.parcel = answer.parcel.title_number;
        showAnswer(answer, latlng);
        writeHash();
      }).catch(function (err) { selection.clearLayers(); panel.error(err.message); });
  }
  function openParcel(title, fit) {
    var url = "/api/place?parcel=" + encodeURIComponent(title) + dateParam() +
      (state.agency ? "&agency=" + encodeURIComponent(state.agency) : "");
    return getJson(url).then(function (answer) {
      state.parcel = answer.parcel.title_number;
      state.point = null;
      showAnswer(answer, null);
      if (fit) map.fitBounds([[answer.bbox[1], answer.bbox[0]], [answer.bbox[3], answer.bbox[2]]], {maxZoom: 18});
      writeHash();
    }).catch(function (err) { panel.error(err.message); });
  }
  /* Shift-click: parcels gathered into one lot (several titles), for one note on the merged land. */
  var lot = [];
  function addToLot(latlng) {
    getJson("/api/place?lon=" + latlng.lng.toFixed(7) + "&lat=" + latlng.lat.toFixed(7) + dateParam())
      .then(function (answer) {
        if (!answer.parcel) return;
        var title = answer.parcel.title_number;
        if (!lot.length && state.parcel && state.parcel !== title) lot.push({title: state.parcel, geometry: null});
        var at = lot.map(function (item) { return item.title; }).indexOf(title);
        if (at >= 0) lot.splice(at, 1); else lot.push({title: title, geometry: answer.parcel.geometry});
        selection.clearLayers();
        lot.forEach(function (item) {
          if (item.geometry) L.geoJSON(item.geometry, {className: "lot-parcel", renderer: svg,
            style: {color: C.styles.selection, weight: 3, fillOpacity: 0.2}}).addTo(selection);
        });
        panel.showLot(lot.map(function (item) { return item.title; }), answer.parcel.agency, state.date);
      }).catch(function (err) { panel.error(err.message); });
  }
  /* A click while the "observations" layer is on: the published observation under it (a point within 8 px, or
   * the parcel or area it is pinned to), asked of its OGC collection (PostGIS tests the bbox, lon/lat); its
   * public face (fresh co-signature count) and the co-sign form. Elsewhere: the place lookup. */
  function observationAt(latlng) {
    var layer = layersById.observations;
    if (!layer || !map.hasLayer(layer)) return Promise.resolve(null);
    var p = map.latLngToContainerPoint(latlng), sw = map.containerPointToLatLng(p.add([-8, 8])),
      ne = map.containerPointToLatLng(p.add([8, -8]));
    var bbox = [sw.lng, sw.lat, ne.lng, ne.lat].map(function (v) { return v.toFixed(7); }).join(",");
    return getJson("/ogc/collections/observations/items?f=json&limit=1&bbox=" + bbox).then(function (fc) {
      return fc.features.length ? fc.features[0].properties.number : null;
    }).catch(function () { return null; });
  }
  function openObservation(number, latlng) {
    return getJson("/api/observations/" + encodeURIComponent(number) + "/public").then(function (o) {
      selection.clearLayers();
      L.circleMarker(latlng, {radius: 6, color: C.styles.selection, weight: 3}).addTo(selection);
      panel.showObservation(o, function () { lookupPoint(latlng); });
    }).catch(function (err) { panel.error(err.message); });
  }
  var tools = window.GeoportalTools(map, C, message, function (latlng) { lookupPoint(latlng); });
  map.on("click", function (e) {
    if (e.originalEvent && e.originalEvent.shiftKey) { addToLot(e.latlng); return; }
    if (tools.click(e.latlng)) return;
    lot = [];
    observationAt(e.latlng).then(function (number) {
      if (number) openObservation(number, e.latlng); else lookupPoint(e.latlng);
    });
  });

  /* Search: titles, coordinates, communes. */
  function message(text) { $("message").textContent = text; $("message").hidden = !text; }
  function go(result) {
    $("results").hidden = true;
    if (result.type === "parcel") { state.agency = result.agency; openParcel(result.title_number, true); return; }
    if (result.bbox && result.type === "commune") {
      map.fitBounds([[result.bbox[1], result.bbox[0]], [result.bbox[3], result.bbox[2]]]);
      return;
    }
    map.setView([result.lat, result.lon], 18);
    lookupPoint(L.latLng(result.lat, result.lon));
  }
  function resultLabel(r) {
    if (r.type === "parcel") return r.title_number + " — " + (AR ? r.commune_ar : r.commune_fr || "");
    if (r.type === "commune") return AR ? r.name_ar + " (" + r.name_fr + ")" : r.name_fr + " (" + r.name_ar + ")";
    return S.coordinates + " " + r.label;
  }
  $("search").addEventListener("submit", function (e) {
    e.preventDefault();
    var q = $("q").value.trim();
    if (!q) return;
    message(S.searching);
    getJson("/api/search?q=" + encodeURIComponent(q)).then(function (answer) {
      message(answer.message || (answer.results.length ? "" : S.no_result));
      var list = $("results");
      list.replaceChildren();
      if (answer.results.length === 1) { go(answer.results[0]); return; }
      answer.results.forEach(function (r) {
        var li = document.createElement("li"), button = document.createElement("button");
        button.type = "button";
        button.textContent = resultLabel(r);
        button.addEventListener("click", function () { go(r); });
        li.appendChild(button);
        list.appendChild(li);
      });
      list.hidden = !answer.results.length;
    }).catch(function (err) { message(err.message); });
  });

  $("panel-close").addEventListener("click", function () {
    panel.hide(); selection.clearLayers(); state.parcel = null; state.point = null; writeHash();
  });
  $("agency").addEventListener("change", function () {
    var code = $("agency").value;
    location.assign("/carte/?" + (code ? "agency=" + encodeURIComponent(code) + "&" : "") + "lang=" + C.lang);
  });
  $("date").max = "2100-12-31";
  $("date").addEventListener("change", function () {
    state.date = $("date").value === today ? "" : $("date").value;
    loadPlans(false).then(switchZones).then(function () {
      if (state.parcel) openParcel(state.parcel, false);
      writeHash();
    }).catch(function (err) { message(err.message); });
  });

  /* Start: restore the permalink, else open the deep-linked parcel, else fit the plans. */
  var start = readHash();
  state.date = start.date;
  $("date").value = start.date || today;
  applyLayers(start.layers);
  if (start.view) map.setView([start.view[1], start.view[2]], start.view[0]);
  var parcel = start.parcel || C.initialParcel;
  Promise.all([loadPlans(false), inquiriesLoaded]).then(function () {
    if (state.date) switchZones();
    if (parcel) return openParcel(parcel, !start.view);
    if (start.point) {
      var p = start.point.split(",").map(Number);
      if (p.length === 2 && p.every(isFinite)) lookupPoint(L.latLng(p[0], p[1]));
    }
  }).catch(function (err) { message(err.message); }).then(function () {
    map.on("moveend overlayadd overlayremove", writeHash);
    writeHash();
    document.body.setAttribute("data-ready", "1");
  });
})();
