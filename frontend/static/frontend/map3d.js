// The web map's "3D" view: the panel (a classic script) asks for it with a "geoportal:envelope3d" event
// ({holder, url}); the scene comes from /api/envelope and is drawn by the one scene code (envelope3d.js).
import { showEnvelope } from "./envelope3d.js";

let current = null;
document.addEventListener("geoportal:envelope3d", (event) => {
  const { holder, url, failed } = event.detail;
  if (current) current.dispose();
  current = null;
  holder.dataset.state = "loading";
  fetch(url, { headers: { Accept: "application/json" } })
    .then((r) => r.json().then((body) => (r.ok ? body : Promise.reject(new Error(body.description || r.status)))))
    .then((scene) => { current = showEnvelope(holder, scene, { failed }); })
    .catch((err) => { holder.dataset.state = "error"; holder.textContent = failed + " " + err.message; });
});
document.body.dataset.map3d = "1";
