/* The side panel: renders an /api/place answer (zone, rules, servitudes, plan, parcel) in FR or AR.
 * Every value reaches the page as a text node or a checked attribute, never through innerHTML: a
 * published label such as "<img src=x onerror=…>" shows as those characters. */
(function () {
  "use strict";

  /* el("p", {className: "x"}, ["text", node, null]): an element; strings become text nodes, null is skipped. */
  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "style") Object.assign(node.style, props.style); else node[key] = props[key];
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === "") return;
      node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  /* `text` as HTML source, for the few Leaflet APIs that take HTML strings (the layer switcher's names). */
  function esc(text) {
    return el("div", {}, [text]).innerHTML;
  }

  /* A link target from the API: a path on this site or an http(s) URL, else nothing (no javascript:). */
  function safeHref(value) {
    var url;
    try { url = new URL(String(value), window.location.href); } catch (e) { return null; }
    return url.protocol === "http:" || url.protocol === "https:" ? String(value) : null;
  }

  function num(value, unit) {
    if (value == null || value === "") return null;
    var n = Number(value);
    var text = n.toLocaleString(document.documentElement.lang === "ar" ? "ar-MA" : "fr-FR", {maximumFractionDigits: 2});
    return unit ? text + " " + unit : text;
  }

  function rows(pairs) {
    var list = el("dl");
    pairs.forEach(function (pair) {
      if (pair[1] == null || pair[1] === "") return;
      list.appendChild(el("dt", {}, [pair[0]]));
      list.appendChild(el("dd", {}, [pair[1]]));
    });
    return list;
  }

  function Panel(config, element, body) {
    this.c = config;
    this.s = config.strings;
    this.ar = config.lang === "ar";
    this.element = element;
    this.body = body;
  }

  Panel.prototype.label = function (item) {
    return (this.ar ? item.label_ar : item.label_fr) || item.label_fr || "";
  };

  Panel.prototype.zoneNodes = function (zone, colour) {
    var s = this.s, ar = this.ar;
    var uses = function (list) { return list.map(function (u) { return ar ? u.ar : u.fr; }).join(", "); };
    var setbacks = [zone.setback_road_m, zone.setback_side_m, zone.setback_rear_m];
    var article = ar ? zone.article_ar || zone.article_fr : zone.article_fr;
    return [
      el("h2", {className: "zone"}, [el("span", {className: "zone-code", style: {background: colour}}, [zone.code]),
                                     this.label(zone)]),
      zone.share != null ? el("p", {}, [num(zone.share * 100) + " % " + s.share]) : null,
      el("h3", {}, [s.rules]),
      rows([
        [s.uses_allowed, uses(zone.allowed_uses || [])],
        [s.uses_forbidden, uses(zone.forbidden_uses || [])],
        [s.height, num(zone.max_height_m, s.metres)],
        [s.floors, zone.max_floors == null ? null : (zone.max_floors === 0 ? "R" : "R+" + zone.max_floors)],
        [s.cos, num(zone.cos)], [s.ces, num(zone.ces)],
        [s.min_lot, num(zone.min_lot_area_m2, s.square_metres)],
        [s.frontage, num(zone.min_frontage_m, s.metres)],
        [s.setbacks, setbacks.some(function (v) { return v != null; }) ?
          setbacks.map(function (v) { return v == null ? "–" : num(v); }).join(" / ") + " " + s.metres : null],
        [s.parking, ar ? zone.parking_ar || zone.parking_fr : zone.parking_fr]
      ]),
      article ? el("p", {}, [article]) : null
    ];
  };

  /* The "3D" view of the envelope of a parcel or a lot: a button, then the view in the panel, drawn by
   * map3d.js (a module: the one 3D scene code of the note and the map) from /api/envelope. */
  Panel.prototype.view3dNodes = function (titles, agency, date) {
    var s = this.s;
    var holder = el("div", {className: "scene3d", hidden: true, title: s.envelope_3d});
    holder.setAttribute("role", "img");
    holder.setAttribute("aria-label", s.envelope_3d);
    var button = el("button", {type: "button", className: "view-3d"}, [s.view_3d]);
    button.addEventListener("click", function () {
      holder.hidden = false;
      var url = "/api/envelope?titles=" + encodeURIComponent(titles.join(",")) +
        (agency ? "&agency=" + encodeURIComponent(agency) : "") + (date ? "&date=" + encodeURIComponent(date) : "");
      document.dispatchEvent(new CustomEvent("geoportal:envelope3d",
        {detail: {holder: holder, url: url, failed: s.failed_3d}}));
    });
    return [button, holder];
  };

  /* "Constructibilité": what the règlement allows on the parcel (plans.reglement, answer.buildable). */
  Panel.prototype.buildableNodes = function (b, parcel, date) {
    var s = this.s, ar = this.ar;
    if (!b || !(b.parts && b.parts.length) && !(b.checks && b.checks.length)) return [];
    var roads = (b.frontages || []).map(function (f) { return f.code + " (" + num(f.width_m, s.metres) + ")"; });
    return [
      el("h3", {className: "buildable"}, [s.buildable]),
      rows([
        [s.net_area, num(b.net_area_m2, s.square_metres)],
        [s.roads, roads.length ? roads.join(", ") + (b.corner_lot ? " — " + s.corner_lot : "") : null],
        [s.footprint_polygon, num(b.footprint_polygon_m2, s.square_metres)],
        [s.max_footprint, num(b.max_footprint_m2, s.square_metres)],
        [s.max_floor_area, num(b.max_floor_area_m2, s.square_metres)],
        [s.height, b.max_height_m == null ? null : num(b.max_height_m, s.metres) +
          (b.max_floors == null ? "" : " (R+" + b.max_floors + ")")]
      ]),
      (b.checks || []).length ? el("ul", {className: "checks"}, b.checks.map(function (c) {
        return el("li", {className: "check " + c.severity}, [ar ? c.ar : c.fr]);
      })) : null
    ].concat(parcel && b.max_height_m ? this.view3dNodes([parcel.title_number], parcel.agency, date) : []);
  };

  Panel.prototype.servitudeNode = function (sv) {
    var kind = this.c.servitudeKinds[sv.kind] || sv.kind;
    var rule = this.ar ? sv.rule_ar || sv.rule_fr : sv.rule_fr;
    return el("li", {className: "servitude"}, [
      el("strong", {}, [sv.code]), " " + kind + " — " + this.label(sv),
      sv.share != null ? " (" + num(sv.share * 100) + " %)" : null,
      rule ? el("br") : null, rule ? el("small", {}, [rule]) : null
    ]);
  };

  Panel.prototype.planNode = function (plan) {
    var s = this.s;
    return el("p", {className: "plan"}, [
      el("strong", {}, [this.ar ? plan.title_ar : plan.title_fr]), " (v" + plan.version + ")", el("br"),
      s.decree + " " + (plan.decree_reference || "") + " — " + s.effective + " " + (plan.effective_date || ""),
      plan.expiry_date ? " " + s.expiry + " " + plan.expiry_date : null
    ]);
  };

  Panel.prototype.show = function (answer, zoneColour) {
    var s = this.s, self = this, nodes = [];
    if (answer.parcel) {
      var p = answer.parcel;
      nodes.push(el("h2", {}, [s.parcel + " ", el("span", {className: "title-number", dir: "ltr"}, [p.title_number])]),
        rows([[s.commune, this.ar ? p.commune_ar : p.commune_fr],
              [s.area_title, num(p.area_on_title_m2, s.square_metres)],
              [s.area_computed, num(p.area_m2, s.square_metres)]]));
    }
    if (answer.lambert) {
      nodes.push(el("p", {className: "coords", dir: "ltr"},
        [answer.lambert.crs + " X " + answer.lambert.x + " Y " + answer.lambert.y]));
    }
    answer.zones.forEach(function (zone) { nodes = nodes.concat(self.zoneNodes(zone, zoneColour(zone.code))); });
    nodes = nodes.concat(this.buildableNodes(answer.buildable, answer.parcel, answer.date));
    nodes.push(el("h3", {}, [s.servitudes]));
    nodes.push(answer.servitudes.length ? el("ul", {}, answer.servitudes.map(this.servitudeNode, this)) :
      el("p", {}, [s.no_servitude]));
    nodes.push(el("h3", {}, [s.plan]));
    nodes = nodes.concat(answer.plans.length ? answer.plans.map(this.planNode, this) : [el("p", {}, [s.no_plan])]);
    if (answer.links && answer.links.note) {
      nodes.push(el("div", {className: "actions"}, [
        el("a", {className: "note", href: safeHref(answer.links.note) || "#"}, [s.note]),
        el("a", {className: "extract", href: safeHref(answer.links.extract) || "#"}, [s.extract])]));
    }
    this.body.replaceChildren.apply(this.body, nodes.filter(Boolean));
    this.element.hidden = false;
    this.element.scrollTop = 0;
  };

  /* A lot of several parcels gathered by shift-click: their titles and the note of the merged land. */
  Panel.prototype.showLot = function (titles, agency, date) {
    var s = this.s;
    var nodes = [
      el("h2", {className: "lot"}, [s.lot + " (" + titles.length + ")"]),
      el("ul", {className: "lot-titles"}, titles.map(function (t) { return el("li", {dir: "ltr"}, [t]); })),
      el("p", {}, [el("small", {}, [s.lot_hint])]),
      titles.length ? el("div", {className: "actions"}, [
        el("a", {className: "note lot-note", href: "/notes/new?title=" + encodeURIComponent(titles.join(", "))},
           [s.note])]) : null];
    if (titles.length) nodes = nodes.concat(this.view3dNodes(titles, agency, date));
    this.body.replaceChildren.apply(this.body, nodes.filter(Boolean));
    this.element.hidden = false;
  };

  Panel.prototype.error = function (text) {
    this.body.replaceChildren(el("p", {}, [text]));
    this.element.hidden = false;
  };

  Panel.prototype.hide = function () { this.element.hidden = true; };

  window.GeoportalPanel = Panel;
  window.GeoportalDom = {el: el, esc: esc, safeHref: safeHref};
})();
