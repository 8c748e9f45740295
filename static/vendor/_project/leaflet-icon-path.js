/*
 * Peta Posyandu (project code, not vendored): tell Leaflet where its default marker
 * images are. Leaflet finds them by reading a style from leaflet.css when the first
 * default marker is created; streamlit-folium adds the CSS links without waiting for
 * them and runs the map script at once, so that lookup can fail and Leaflet falls
 * back to a wrong URL (".../leaflet-1.9.3marker-icon.png"). components.offline loads
 * this file right after leaflet.js.
 */
(function () {
  "use strict";
  if (typeof L === "undefined" || !L.Icon || !L.Icon.Default) { return; }
  var script = document.currentScript;
  if (!script || !script.src) { return; }
  L.Icon.Default.imagePath = new URL("../leaflet-1.9.3/images/", script.src).href;
})();
