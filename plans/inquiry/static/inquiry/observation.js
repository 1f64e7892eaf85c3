/* The receipt's link: the secret travels after "#" (never to a server log) and is sent in a header. */
(function () {
  "use strict";
  var main = document.getElementById("observation"), state = document.getElementById("state");
  var secret = new URLSearchParams(location.hash.replace(/^#/, "")).get("s");
  if (!secret) { state.textContent = "?"; return; }
  fetch("/api/observations/" + encodeURIComponent(main.dataset.number),
        {headers: {"X-Tracking-Secret": secret, Accept: "application/json"}})
    .then(function (r) { return r.json().then(function (b) { return r.ok ? b : Promise.reject(new Error(b.description)); }); })
    .then(function (o) {
      document.getElementById("status").textContent = o.status_label;
      document.getElementById("text").textContent = o.text;
      document.getElementById("answer").textContent = o.answer || "—";
      document.getElementById("cosignatures").textContent = String(o.cosignatures);
      document.getElementById("details").hidden = false;
      state.hidden = true;
      document.body.setAttribute("data-ready", "1");
    }).catch(function (e) { state.textContent = e.message; document.body.setAttribute("data-ready", "1"); });
})();
