// The agency staff's inquiries page (/staff/inquiries/): the forms post JSON to the API with the CSRF token and
// show its message; each inquiry's map draws the draft's zones and every observation, coloured by status.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("staff-map-config").textContent);
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;

  function body(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) return;
      if (el.type === "checkbox") {
        data[el.name] = data[el.name] || [];
        if (el.checked) data[el.name].push(el.value);
      } else {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.api-form"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var output = form.querySelector("output");
      output.textContent = "…";
      fetch(form.dataset.action, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json"},
        body: JSON.stringify(body(form))
      }).then(function (response) {
        return response.json().then(function (json) { return {ok: response.ok, json: json}; });
      }).then(function (answer) {
        if (answer.ok) { window.location.reload(); return; }
        output.textContent = answer.json.description || JSON.stringify(answer.json);
        output.className = "error";
      }).catch(function (error) { output.textContent = String(error); output.className = "error"; });
    });
  });

  function popup(p) {
    var box = document.createElement("div");
    [["strong", p.number], ["div", config.themes[p.theme] || p.theme], ["div", config.status[p.status] || p.status],
     ["p", p.text]].forEach(function (part) {
      var el = document.createElement(part[0]);
      el.textContent = part[1];
      box.appendChild(el);
    });
    return box;
  }

  Array.prototype.forEach.call(document.querySelectorAll(".staff-map"), function (el) {
    el.style.height = "420px";
    var extent = el.dataset.perimeter.split(",").map(Number);
    var map = L.map(el).fitBounds([[extent[1], extent[0]], [extent[3], extent[2]]]);
    fetch(el.dataset.zones, {headers: {"Accept": "application/geo+json"}}).then(function (r) { return r.json(); })
      .then(function (zones) {
        L.geoJSON(zones, {style: {color: "#1a1a6e", weight: 1, fillOpacity: 0.1, className: "draft-zone"},
                          interactive: false}).addTo(map);
      });
    fetch(el.dataset.observations, {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (observations) {
        var style = function (feature) {
          var colour = config.colours[feature.properties.status];
          return {color: colour, fillColor: colour, fillOpacity: 0.6, weight: 2,
                  className: "obs-marker obs-" + feature.properties.status};
        };
        var layer = L.geoJSON(observations, {
          style: style,
          pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, style(feature)); },
          onEachFeature: function (feature, marker) { marker.bindPopup(popup(feature.properties)); }
        }).addTo(map);
        el.dataset.count = String(observations.features.length);
        if (observations.features.length) map.fitBounds(layer.getBounds().pad(0.2));
      });
  });
})();
