/* The site shell (frontend/templates/site/base.html): the menu button on narrow screens, old map permalinks.
 * No inline script. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // Permalinks made when the map was the home page (/#map=…) still open the map.
  if (location.pathname === "/" && /^#(map|parcel|layers)=/.test(location.hash)) {
    location.replace("/carte/" + location.search + location.hash);
    return;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".site-menu-toggle"), nav = document.getElementById("site-nav");
    if (!button || !nav) return;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    });
  });
})();
