/*
 * Peta Posyandu (project code, not vendored): tell Leaflet where its default marker
 * images are. Leaflet finds them by reading a style from leaflet.css when the first
 * default marker is created; streamlit-folium adds the CSS links without waiting for
 * them and runs the map script at once, so that lookup can fail and Leaflet falls
 * back to a wrong URL (".../leaflet-1.9.3marker-icon.png"). components.map.offline loads
 * this file right after leaflet.js.
 */
(function () {
  "use strict";
  if (typeof L === "undefined" || !L.Icon || !L.Icon.Default) { return; }
  var script = document.currentScript;
  if (!script || !script.src) { return; }
  L.Icon.Default.imagePath = new URL("../leaflet-1.9.3/images/", script.src).href;
})();

/*
 * Peta Posyandu: on the first mousedown Leaflet focuses the map container, and the
 * browser then scrolls the *parent page* until the whole st_folium iframe is visible
 * (Leaflet only restores the iframe's own scroll). When the map reaches below the
 * window, the page jumps between mousedown and mouseup, so the first click on a
 * region is lost (or lands elsewhere) and does not drill down. Focus without scrolling.
 */
(function () {
  "use strict";
  if (typeof L === "undefined" || !L.Map || !L.Map.Keyboard) { return; }
  L.Map.Keyboard.prototype._onMouseDown = function () {
    if (this._focused) { return; }
    this._map._container.focus({ preventScroll: true });
  };
})();
