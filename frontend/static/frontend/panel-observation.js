/* The panel of a published observation of a public inquiry, clicked on the map's "observations" layer: its
 * number, theme, article, public text, answer and co-signature count (GET /api/observations/<number>/public,
 * nothing personal), and a form to co-sign it (POST /api/observations/<number>/cosign; name and e-mail
 * optional). Words from the one word table (plans.vocabulary.INQUIRY_WORDS, served as `inquiryWords`).
 * Values reach the page as text nodes (GeoportalDom.el), never as HTML; errors are the API's JSON message. */
(function () {
  "use strict";
  var el = window.GeoportalDom.el;

  function apiError(response) {
    return response.json().catch(function () { return {}; }).then(function (body) {
      throw new Error(body.description || String(response.status));
    });
  }

  function field(label, input) {
    return el("label", {className: "field"}, [label, el("br"), input]);
  }

  /* The co-sign form; `done(count)` once the server has recorded the co-signature. */
  function cosignForm(W, number, done) {
    var name = el("input", {type: "text", name: "name", maxLength: 200, autocomplete: "name"});
    var email = el("input", {type: "email", name: "email", maxLength: 254, autocomplete: "email", dir: "ltr"});
    var button = el("button", {type: "submit", className: "cosign"}, [W.cosign]);
    var status = el("p", {className: "form-status", role: "status"});
    var form = el("form", {className: "cosign-form"}, [
      el("h3", {}, [W.cosign]), el("p", {}, [el("small", {}, [W.cosign_hint])]),
      field(W.observe_name, name), field(W.observe_email, email), button, status]);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      button.disabled = true;
      status.className = "form-status";
      status.textContent = W.observe_sending;
      fetch("/api/observations/" + encodeURIComponent(number) + "/cosign", {
        method: "POST", headers: {"Content-Type": "application/json", Accept: "application/json"},
        body: JSON.stringify({name: name.value.trim(), email: email.value.trim()})
      }).then(function (r) { return r.ok ? r.json() : apiError(r); }).then(function (body) {
        form.replaceChildren(el("p", {className: "form-status ok", role: "status"}, [W.cosigned]));
        done(body.cosignatures);
      }).catch(function (err) {
        button.disabled = false;
        status.className = "form-status error";
        status.textContent = err.message;
      });
    });
    return form;
  }

  /* Show observation `o` (its public face); `lookup()` opens what applies at the clicked place. */
  window.GeoportalPanel.prototype.showObservation = function (o, lookup) {
    var W = this.c.inquiryWords;
    var theme = (this.c.observationThemes || []).find(function (t) { return t.value === o.theme; });
    var count = el("dd", {className: "cosignatures"}, [String(o.cosignatures)]);
    var facts = el("dl", {}, [
      el("dt", {}, [W.observe_theme]), el("dd", {}, [theme ? theme.label : o.theme_label || o.theme]),
      o.article ? el("dt", {}, [W.article]) : null, o.article ? el("dd", {}, [o.article]) : null,
      o.parcel || o.commune ? el("dt", {}, [W.observe_place]) : null,
      o.parcel || o.commune ? el("dd", {dir: "auto"}, [[o.parcel, o.commune].filter(Boolean).join(" — ")]) : null,
      el("dt", {}, [W.cosigners]), count]);
    var lookHere = el("button", {type: "button", className: "what-applies"}, [W.what_applies]);
    lookHere.addEventListener("click", lookup);
    var nodes = [
      el("h2", {className: "observation"}, [W.observation + " ",
                                            el("span", {className: "observation-number", dir: "ltr"}, [o.number])]),
      facts,
      el("h3", {}, [W.text]), el("p", {className: "observation-text", dir: "auto"}, [o.text || "–"]),
      o.answer ? el("h3", {}, [W.answer]) : null,
      o.answer ? el("p", {className: "observation-answer", dir: "auto"}, [o.answer]) : null,
      cosignForm(W, o.number, function (cosignatures) { count.textContent = String(cosignatures); }),
      el("div", {className: "actions"}, [lookHere])];
    this.body.replaceChildren.apply(this.body, nodes.filter(Boolean));
    this.element.hidden = false;
    this.element.scrollTop = 0;
  };
})();
