/*
 * Peta Posyandu (project code, not vendored): several periods on the one map of a page
 * (issue 26), called by peta-map.js's view (window.PetaPeriods).
 *
 * - split view (cfg.split): the map takes the left half of its iframe and shows one
 *   period; a second Leaflet map in the right half shows the other period with the same
 *   classes (colours from the server). Both maps pan and zoom together (a flag stops the
 *   echo); a popup's "Buka wilayah ini" drills down from either. The second map goes
 *   with the next view that has no split. The map's container carries data-pp-split and
 *   window.pp_split = {left, right} (the two Leaflet maps).
 * - timeline (cfg.timeline): a slider and play/pause under the map step through the
 *   periods; each step only recolours the regions (colours and tooltips of every period
 *   come with the view, classes fixed across periods). The container carries
 *   data-pp-period (the period shown).
 */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  function shared() { return window.PetaMap.shared; }

  // A period's name in a corner of a map (split view).
  function periodLabel(map, text) {
    var c = L.control({position: "topright"});
    c.onAdd = function () {
      var div = L.DomUtil.create("div", "pp-period");
      div.innerHTML = text;
      return div;
    };
    c.addTo(map);
    return c;
  }

  // Split view: a second map in the right half of the iframe, synced with the first.
  function unsplit(map) {
    var sp = map._ppSplit;
    if (!sp) { return; }
    map.off("move", sp.follow);
    (sp.other._ppOff || []).splice(0).forEach(function (off) { off(); });
    sp.other.remove();
    sp.div.parentNode.removeChild(sp.div);
    if (sp.label) { map.removeControl(sp.label); }
    map.getContainer().style.width = sp.width;
    map.getContainer().removeAttribute("data-pp-split");
    map._ppSplit = null;
    window.pp_split = null;
    map.invalidateSize({animate: false});
  }

  function split(map, cfg, data) {
    var sc = cfg.split, sp = map._ppSplit, host = map.getContainer();
    if (!sp) {
      var div = document.createElement("div");
      div.className = "pp-split-right";
      host.parentNode.style.position = "relative";
      sp = map._ppSplit = {div: div, width: host.style.width, syncing: false};
      host.style.width = "50%";
      div.style.cssText = "position:absolute;left:50%;width:50%;border-left:3px solid #ffffff;" +
        "box-sizing:border-box;top:" + host.offsetTop + "px;height:" + host.offsetHeight + "px";
      host.parentNode.appendChild(div);
      var other = sp.other = L.map(div, {zoomSnap: 0.25, attributionControl: false,
                                         maxZoom: 18, gestureHandling: true});
      other.on("popupopen", shared().onPopupOpen);
      L.control.scale({imperial: false, maxWidth: 160}).addTo(other);
      // pan or zoom one, the other follows (a flag stops the echo)
      sp.follow = function () {
        if (sp.syncing) { return; }
        sp.syncing = true;
        other.setView(map.getCenter(), map.getZoom(), {animate: false});
        sp.syncing = false;
      };
      sp.lead = function () {
        if (sp.syncing) { return; }
        sp.syncing = true;
        map.setView(other.getCenter(), other.getZoom(), {animate: false});
        sp.syncing = false;
      };
      map.on("move", sp.follow);
      other.on("move", sp.lead);
      map.invalidateSize({animate: false});
    }
    if (sp.label) { map.removeControl(sp.label); }
    if (sp.otherLabel) { sp.other.removeControl(sp.otherLabel); }
    sp.label = periodLabel(map, sc.left);
    sp.otherLabel = periodLabel(sp.other, sc.right);
    if (sp.layer) { sp.other.removeLayer(sp.layer); }
    var own = {style: sc.style, info: sc.info, text: cfg.text, drill: cfg.drill,
               border: cfg.border};
    sp.layer = L.geoJson(data, {
      className: "pp-region-right",
      style: function (f) {
        var st = own.style[f.properties.code];
        return {fillColor: st ? st[0] : shared().NO_DATA, color: cfg.border, weight: 0.8,
                fillOpacity: 0.85};
      },
      onEachFeature: function (f, l) {
        var code = f.properties.code;
        l.bindTooltip(function () { return shared().info(own, code, f.properties); },
                      {sticky: true, className: "pp-tooltip"});
        l.bindPopup(function () {
          var body = shared().info(own, code, f.properties);
          if (own.drill) {
            body += "<button type='button' class='pp-open' data-code='" + code + "'>" +
                    cfg.text.open + "</button>";
          }
          return body;
        }, {maxWidth: 340, className: "pp-popup"});
      }
    }).addTo(sp.other);
    // projector: region names on the right map too (the left map's view draws its own)
    (sp.other._ppOff = sp.other._ppOff || []).splice(0).forEach(function (off) { off(); });
    if (sp.labels) { sp.other.removeLayer(sp.labels); sp.labels = null; }
    if (cfg.labels) {
      sp.labels = L.layerGroup().addTo(sp.other);
      var declutter = shared().labels(sp.other, sp.labels, data);
      sp.other.whenReady(function () { setTimeout(declutter, 0); });
    }
    sp.other.invalidateSize({animate: false});
    sp.other.setView(map.getCenter(), map.getZoom(), {animate: false});
    host.setAttribute("data-pp-split", "1");
    window.pp_split = {left: map, right: sp.other};
  }

  // Timeline: slider + play/pause stepping through the periods (recolour only).
  function untimeline(map) {
    var tl = map._ppTimeline;
    if (!tl) { return; }
    clearInterval(tl.timer);
    map.removeControl(tl.control);
    map.getContainer().removeAttribute("data-pp-period");
    map._ppTimeline = null;
  }

  function timeline(map, cfg) {
    untimeline(map);
    var t = cfg.timeline, tl = map._ppTimeline = {timer: null, index: t.start};
    var regions = map._ppRegions;
    function show(i) {
      tl.index = i;
      regions.cfg = Object.assign({}, cfg, {style: t.styles[i], info: t.infos[i]});
      regions.layer.setStyle(regions.layer.options.style);
      tl.slider.value = String(i);
      tl.label.innerHTML = t.periods[i];
      map.getContainer().setAttribute("data-pp-period", t.periods[i]);
    }
    function stop() {
      clearInterval(tl.timer);
      tl.timer = null;
      tl.button.innerHTML = "&#9654;";
      tl.button.setAttribute("aria-label", t.text.play);
      tl.button.title = t.text.play;
    }
    var c = tl.control = L.control({position: "bottomright"});
    c.onAdd = function () {
      var div = L.DomUtil.create("div", "pp-timeline");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      var btn = tl.button = L.DomUtil.create("button", "pp-play", div);
      btn.type = "button";
      var slider = tl.slider = L.DomUtil.create("input", "pp-slider", div);
      slider.type = "range";
      slider.min = "0";
      slider.max = String(t.periods.length - 1);
      slider.step = "1";
      slider.setAttribute("aria-label", t.text.period);
      tl.label = L.DomUtil.create("span", "pp-period-now", div);
      L.DomEvent.on(slider, "input", function () { stop(); show(parseInt(slider.value, 10)); });
      L.DomEvent.on(btn, "click", function () {
        if (tl.timer) { stop(); return; }
        if (tl.index >= t.periods.length - 1) { show(0); }
        btn.innerHTML = "&#10074;&#10074;";
        btn.setAttribute("aria-label", t.text.pause);
        btn.title = t.text.pause;
        tl.timer = setInterval(function () {
          if (tl.index >= t.periods.length - 1) { stop(); return; }
          show(tl.index + 1);
        }, t.step || 1500);
      });
      return div;
    };
    c.addTo(map);
    stop();
    show(t.start);
    map._ppOff.push(function () { untimeline(map); });
  }

  window.PetaPeriods = {split: split, unsplit: unsplit, timeline: timeline,
                        untimeline: untimeline};
})();
