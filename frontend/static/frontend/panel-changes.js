/* The panel's section "what the draft under public inquiry changes here", from /api/changes, in FR or AR.
 * Values reach the page as text nodes (GeoportalDom.el), never as HTML. */
(function () {
  "use strict";
  var el = window.GeoportalDom.el;

  function num(value) {
    if (value == null) return "–";
    return Number(value).toLocaleString(document.documentElement.lang === "ar" ? "ar-MA" : "fr-FR",
                                        {maximumFractionDigits: 1});
  }

  function provisionValue(v) {
    if (!v) return "–";
    if (v.uses) return v.uses.join(", ");
    return v.expression != null ? v.expression + (v.unit && v.unit !== "ratio" ? " " + v.unit : "") : (v.text_fr || "");
  }

  window.GeoportalPanel.prototype.showChanges = function (body) {
    var W = this.c.inquiryWords, ar = this.ar, colours = this.c.styles.changes, self = this;
    var result = body.results[0], to = body.to;
    var badge = function (status) {
      var change = colours[status];
      return change ? el("span", {className: "change change-" + status, style: {background: change.colour}},
                         [ar ? change.label_ar : change.label_fr]) : null;
    };
    var nodes = [el("h3", {}, [W.title]),
      el("p", {className: "draft-notice"}, [ar ? to.notice_ar : to.notice_fr]),
      el("p", {}, [W.inquiry + " " + to.inquiry_start + " " + W.until + " " + to.inquiry_end])];
    var zones = result.zones.filter(function (z) { return z.status !== "unchanged"; });
    var any = zones.length || result.code_changes.length || result.rules.length ||
      result.servitudes.some(function (s) { return s.status !== "unchanged"; });
    if (!any) nodes.push(el("p", {}, [W.nothing]));
    if (zones.length || result.code_changes.length) {
      nodes.push(el("h4", {}, [W.zones]), el("ul", {}, result.code_changes.map(function (c) {
        return el("li", {}, [c.from_code + " → " + c.to_code + " : " + num(c.area_m2) + " m² (" + num(c.share * 100) + " %)"]);
      }).concat(zones.map(function (z) {
        return el("li", {}, [badge(z.status), " " + z.code + " : " + W.before + " " + num(z.area_before_m2) +
          " m², " + W.after + " " + num(z.area_after_m2) + " m²"]);
      }))));
    }
    if (result.rules.length) {
      nodes.push(el("h4", {}, [W.rules]));
      result.rules.forEach(function (rule) {
        nodes.push(el("p", {}, [el("strong", {}, [rule.code])]), el("ul", {}, rule.provisions.map(function (p) {
          return el("li", {}, [badge(p.status), " " + (ar ? p.label_ar : p.label_fr) + " : " + W.before + " " +
            provisionValue(p.before) + " → " + W.after + " " + provisionValue(p.after)]);
        })));
      });
    }
    var servitudes = result.servitudes.filter(function (s) { return s.status !== "unchanged"; });
    if (servitudes.length) {
      nodes.push(el("h4", {}, [W.servitudes]), el("ul", {}, servitudes.map(function (s) {
        return el("li", {}, [badge(s.status), " " + (s.code || "") + " " + (ar ? s.kind_ar : s.kind_fr) + " — " +
          W.land_taken + " : " + num(s.area_before_m2) + " → " + num(s.area_after_m2) + " m²"]);
      })));
    }
    var section = el("section", {className: "changes"}, nodes);
    var old = self.body.querySelector("section.changes");
    if (old) old.remove();
    self.body.appendChild(section);
  };
})();
