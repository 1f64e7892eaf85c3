/* The side panel: renders an /api/place answer (zone, rules, servitudes, plan, parcel) in FR or AR. */
(function () {
  "use strict";

  function esc(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function num(value, unit) {
    if (value == null || value === "") return null;
    var n = Number(value);
    var text = n.toLocaleString(document.documentElement.lang === "ar" ? "ar-MA" : "fr-FR", {maximumFractionDigits: 2});
    return unit ? text + " " + unit : text;
  }

  function row(label, value) {
    return value == null || value === "" ? "" : "<dt>" + esc(label) + "</dt><dd>" + esc(value) + "</dd>";
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

  Panel.prototype.zoneHtml = function (zone, colour) {
    var s = this.s;
    var uses = function (list) { return list.map(function (u) { return this.ar ? u.ar : u.fr; }, this).join(", "); }.bind(this);
    var setbacks = [zone.setback_road_m, zone.setback_side_m, zone.setback_rear_m];
    var html = '<h2 class="zone"><span class="zone-code" style="background:' + esc(colour) + '">' + esc(zone.code) +
      "</span>" + esc(this.label(zone)) + "</h2>";
    if (zone.share != null) html += "<p>" + esc(num(zone.share * 100)) + " % " + esc(s.share) + "</p>";
    html += "<h3>" + esc(s.rules) + "</h3><dl>" +
      row(s.uses_allowed, uses(zone.allowed_uses || [])) +
      row(s.uses_forbidden, uses(zone.forbidden_uses || [])) +
      row(s.height, num(zone.max_height_m, s.metres)) +
      row(s.floors, zone.max_floors == null ? null : (zone.max_floors === 0 ? "R" : "R+" + zone.max_floors)) +
      row(s.cos, num(zone.cos)) + row(s.ces, num(zone.ces)) +
      row(s.min_lot, num(zone.min_lot_area_m2, s.square_metres)) +
      row(s.frontage, num(zone.min_frontage_m, s.metres)) +
      row(s.setbacks, setbacks.some(function (v) { return v != null; }) ?
        setbacks.map(function (v) { return v == null ? "–" : num(v); }).join(" / ") + " " + s.metres : null) +
      row(s.parking, this.ar ? zone.parking_ar || zone.parking_fr : zone.parking_fr) + "</dl>";
    var article = this.ar ? zone.article_ar || zone.article_fr : zone.article_fr;
    if (article) html += "<p>" + esc(article) + "</p>";
    return html;
  };

  Panel.prototype.show = function (answer, zoneColour) {
    var s = this.s, self = this, html = "";
    if (answer.parcel) {
      var p = answer.parcel;
      html += "<h2>" + esc(s.parcel) + ' <span class="title-number" dir="ltr">' + esc(p.title_number) + "</span></h2><dl>" +
        row(s.commune, this.ar ? p.commune_ar : p.commune_fr) +
        row(s.area_title, num(p.area_on_title_m2, s.square_metres)) +
        row(s.area_computed, num(p.area_m2, s.square_metres)) + "</dl>";
    }
    if (answer.lambert) {
      html += '<p class="coords" dir="ltr">' + esc(answer.lambert.crs) + " X " + esc(answer.lambert.x) + " Y " +
        esc(answer.lambert.y) + "</p>";
    }
    answer.zones.forEach(function (zone) { html += self.zoneHtml(zone, zoneColour(zone.code)); });
    html += "<h3>" + esc(s.servitudes) + "</h3>";
    if (answer.servitudes.length) {
      html += "<ul>" + answer.servitudes.map(function (sv) {
        var kind = self.c.servitudeKinds[sv.kind] || sv.kind;
        var rule = self.ar ? sv.rule_ar || sv.rule_fr : sv.rule_fr;
        return '<li class="servitude"><strong>' + esc(sv.code) + "</strong> " + esc(kind) + " — " + esc(self.label(sv)) +
          (sv.share != null ? " (" + esc(num(sv.share * 100)) + " %)" : "") + (rule ? "<br><small>" + esc(rule) + "</small>" : "") + "</li>";
      }).join("") + "</ul>";
    } else {
      html += "<p>" + esc(s.no_servitude) + "</p>";
    }
    html += "<h3>" + esc(s.plan) + "</h3>";
    if (answer.plans.length) {
      html += answer.plans.map(function (plan) {
        return '<p class="plan"><strong>' + esc(self.ar ? plan.title_ar : plan.title_fr) + "</strong> (v" + esc(plan.version) +
          ")<br>" + esc(s.decree) + " " + esc(plan.decree_reference) + " — " + esc(s.effective) + " " +
          esc(plan.effective_date) + (plan.expiry_date ? " " + esc(s.expiry) + " " + esc(plan.expiry_date) : "") + "</p>";
      }).join("");
    } else {
      html += "<p>" + esc(s.no_plan) + "</p>";
    }
    if (answer.links && answer.links.note) {
      html += '<div class="actions"><a class="note" href="' + esc(answer.links.note) + '">' + esc(s.note) + "</a>" +
        '<a class="extract" href="' + esc(answer.links.extract) + '">' + esc(s.extract) + "</a></div>";
    }
    this.body.innerHTML = html;
    this.element.hidden = false;
    this.element.scrollTop = 0;
  };

  Panel.prototype.error = function (text) {
    this.body.innerHTML = "<p>" + esc(text) + "</p>";
    this.element.hidden = false;
  };

  Panel.prototype.hide = function () { this.element.hidden = true; };

  window.GeoportalPanel = Panel;
  window.GeoportalEscape = esc;
})();
