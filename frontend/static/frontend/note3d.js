// The note's envelope in 3D (the 3D page and the note page): the scene the server wrote in #scene-data.
// body[data-ready] once drawn (or failed), or at once on a note with nothing to build.
import { showEnvelope } from "./envelope3d.js";

const holder = document.getElementById("scene3d");
const ready = () => { document.body.dataset.ready = "1"; };
if (holder) {
  const data = JSON.parse(document.getElementById("scene-data").textContent);
  showEnvelope(holder, data, { failed: holder.dataset.failed, done: ready });
} else {
  ready();
}
