/* An upload's page while its job runs: poll its JSON every second, show the progress, reload when done. */
(function () {
  "use strict";
  var status = document.getElementById("status");
  var url = status.dataset.pollUrl, last = status.dataset.jobStatus;
  if (last !== "queued" && last !== "running") return;
  var bar = document.getElementById("progress"), count = document.getElementById("count");
  function poll() {
    fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (u) {
      var job = u.job || {};
      document.getElementById("job").textContent = (job.kind || "") + " " + (job.status || "") + " " + (job.step || "");
      if (job.total) { bar.hidden = false; bar.max = job.total; bar.value = job.done || 0; count.textContent = (job.done || 0) + " / " + job.total; }
      if (job.status === "finished" || job.status === "failed") { window.location.reload(); } else { setTimeout(poll, 1000); }
    });
  }
  poll();
})();
