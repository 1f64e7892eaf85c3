/* The panel's "file an observation" form, under "what the draft changes here", while the draft's public inquiry
 * is open: posted to /api/inquiries/<plan>/observations (multipart: attachments), answered with a receipt number
 * and a secret link shown once. Words: config.inquiryWords; themes: config.observationThemes (plans.vocabulary).
 * Values reach the page as text nodes (GeoportalDom.el), never as HTML; errors are the API's JSON message. */
(function () {
  "use strict";
  var el = window.GeoportalDom.el;

  function field(label, control) {
    return el("label", {className: "field"}, [el("span", {}, [label]), control]);
  }

  /* `plan`: the draft ({id, …}); `where`: {parcel (a title or null), point (LatLng or null), area()}. */
  window.GeoportalPanel.prototype.showObserve = function (plan, where) {
    var W = this.c.inquiryWords, lang = this.c.lang, self = this;
    var old = self.body.querySelector("section.observe");
    if (old) old.remove();
    var places = where.parcel ? [["parcel", W.observe_place_parcel]] : [];
    if (where.point) places.push(["point", W.observe_place_point]);
    places.push(["area", W.observe_place_area]);
    var place = el("select", {name: "place"}, places.map(function (p) {
      return el("option", {value: p[0]}, [p[1]]);
    }));
    var theme = el("select", {name: "theme", required: true}, this.c.observationThemes.map(function (t) {
      return el("option", {value: t.value}, [t.label]);
    }));
    var text = el("textarea", {name: "text", required: true, rows: 5, minLength: 10, maxLength: 5000});
    var article = el("input", {name: "article", maxLength: 60});
    var name = el("input", {name: "name", maxLength: 200, autocomplete: "name"});
    var email = el("input", {name: "email", type: "email", autocomplete: "email", dir: "ltr"});
    var files = el("input", {name: "attachments", type: "file", multiple: true,
                             accept: "application/pdf,image/png,image/jpeg"});
    var status = el("p", {className: "observe-status", hidden: true});
    status.setAttribute("role", "status");
    var send = el("button", {type: "submit", className: "observe-send"}, [W.observe_send]);
    var form = el("form", {className: "observe-form", hidden: true, noValidate: true}, [
      el("p", {}, [el("small", {}, [W.observe_intro])]),
      field(W.observe_place, place), field(W.observe_theme, theme), field(W.observe_article, article),
      field(W.observe_text, text), field(W.observe_name, name), field(W.observe_email, email),
      field(W.observe_files, files), status, send]);
    var open = el("button", {type: "button", className: "observe-open"}, [W.observe_open]);
    open.addEventListener("click", function () { form.hidden = false; open.hidden = true; text.focus(); });

    function say(message, bad) {
      status.replaceChildren(message);
      status.className = "observe-status" + (bad ? " error" : "");
      status.hidden = false;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData();
      if (place.value === "parcel") data.append("parcel", where.parcel);
      else if (place.value === "point") {
        data.append("lon", where.point.lng.toFixed(7));
        data.append("lat", where.point.lat.toFixed(7));
      } else {
        var area = where.area();
        if (!area) { say(W.observe_no_area, true); return; }
        data.append("area", area);
      }
      [theme, article, text, name, email].forEach(function (input) { data.append(input.name, input.value); });
      data.append("lang", lang);
      Array.prototype.forEach.call(files.files, function (file) { data.append("attachments", file); });
      send.disabled = true;
      say(W.observe_sending);
      fetch("/api/inquiries/" + encodeURIComponent(plan.id) + "/observations",
            {method: "POST", body: data, headers: {Accept: "application/json"}, credentials: "omit"})
        .then(function (r) {
          return r.json().catch(function () { return {description: String(r.status)}; })
            .then(function (body) { return r.ok ? body : Promise.reject(new Error(body.description || r.status)); });
        })
        .then(function (receipt) {
          var link = window.GeoportalDom.safeHref(receipt.link);
          open.remove();
          form.replaceWith(el("div", {className: "observe-receipt"}, [
            el("p", {}, [W.observe_received + " ", el("strong", {className: "receipt-number", dir: "ltr"},
                                                     [receipt.number])]),
            el("p", {}, [W.observe_link + " : ",
                         el("a", {className: "receipt-link", href: link || "#", dir: "ltr"}, [receipt.link])]),
            el("p", {className: "observe-keep"}, [el("strong", {}, [W.observe_keep])])]));
        })
        .catch(function (err) { send.disabled = false; say(err.message, true); });
    });
    self.body.appendChild(el("section", {className: "observe"}, [el("h3", {}, [W.observe_open]), open, form]));
  };
})();
