/*
 * Peta Posyandu (project code, not vendored): the choropleth layer of every map.
 *
 * The map is mounted once per browser tab (components.map.frame): every view (a page, a
 * drill-down, another indicator) is one call PetaMap.view(map, cfg), sent as
 * streamlit-folium's feature group, which removes the previous view's layers and draws
 * the new ones in the same Leaflet map. The geometry comes from a static file (cfg.url,
 * keyed by its source data, so it is fetched with cache "force-cache": downloaded once per
 * browser) or inline (cfg.data); the view carries only values and colours per code. All
 * texts in cfg and in the files are HTML-escaped by the server. When a view is drawn, the
 * map's container carries data-pp-view (the number of views drawn in this map).
 *
 * - hover: tooltip with name, value, rank (and Posyandu count / note);
 * - click or tap: popup with the same and a "Buka wilayah ini" button that drills down
 *   (sent to Streamlit as streamlit-folium's last_active_drawing), so a tap while
 *   scrolling never drills down by accident;
 * - projector: region names, dropped where they would overlap a larger region's name;
 * - sample data (cfg.sample): a DATA SAMPEL stamp inside the map (top right, red on white,
 *   larger in projector mode), shown only while the view shows sample data;
 * - Posyandu: proportional circles per region (cfg.symbols) or clustered points fetched
 *   per kabupaten (cfg.points);
 * - hazards (cfg.hazards, Risiko Bencana): zones and Posyandu in class tinggi from a static
 *   file, drawn over the choropleth. Zones let the mouse through to the region below; a
 *   ring (a Posyandu) has a tooltip and a click on it opens the region's popup. Above
 *   3,000 rings (a national view) they are drawn on one canvas that the mouse passes
 *   through (the names are in the list under the map).
 * - uncertainty (issue 26): a region whose value is an unreliable registry proportion is
 *   hatched over its colour (cfg.style[code][2]: 1 sparse "hati-hati", RSE 25-50 %;
 *   2 dense "tidak akurat", RSE > 50 % or too small a denominator); the tooltip gives the
 *   95 % interval, the RSE and the count behind the rate (cfg.info[code][3], [4]).
 * - split view (cfg.split) and timeline (cfg.timeline): peta-periods.js.
 */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var NO_DATA = "#d9d9d9";

  function rows(fields) {
    return fields.filter(function (f) { return f[1] !== null && f[1] !== undefined && f[1] !== ""; })
      .map(function (f) { return "<tr><th>" + f[0] + "</th><td>" + f[1] + "</td></tr>"; }).join("");
  }

  function info(cfg, code, props) {
    var v = cfg.info[code] || [cfg.text.noData, "–", ""];
    var fields = [[cfg.text.name, props.name], [cfg.text.value, v[0]]];
    if (v[3]) { fields.push([cfg.text.interval, v[3]]); }
    if (v[4]) { fields.push([cfg.text.burden, v[4]]); }
    fields.push([cfg.text.rank, v[1]]);
    if (cfg.symbols) { fields.push([cfg.text.posyandu, cfg.symbols[code] || 0]); }
    if (v[2]) { fields.push([cfg.text.note, v[2]]); }
    return "<table class='pp-info'>" + rows(fields) + "</table>";
  }

  function send(code) {
    // What streamlit-folium sends for a clicked GeoJSON feature (returned_objects); "click"
    // tells one click from the next (the value stays while the map stays mounted).
    var feature = {type: "Feature", geometry: null,
                   properties: {code: code, click: Date.now() + "-" + Math.random()}};
    var value = {last_active_drawing: feature};   // mapview.show_map's returned_objects
    if (window.__GLOBAL_DATA__) {
      // what streamlit-folium compares with before it sends a value: without it, the next
      // view's fitBounds (a "moveend") would send this click again and rerun the page
      window.__GLOBAL_DATA__.last_active_drawing = feature;
      window.__GLOBAL_DATA__.previous_data = value;
    }
    if (window.Streamlit) { window.Streamlit.setComponentValue(value); }
  }

  function labels(map, root, data) {
    var group = L.layerGroup().addTo(root);
    var items = data.features.map(function (f) {
      var p = f.properties;
      var m = L.marker(p.lp, {interactive: false, keyboard: false,
        icon: L.divIcon({className: "pp-label-icon", iconSize: null,
                         html: "<div class='pp-label'>" + p.name.replace(/^Kabupaten /, "") + "</div>"})});
      m.addTo(group);
      return {marker: m, area: p.ar || 0};
    });
    items.sort(function (a, b) { return b.area - a.area; });
    function declutter() {
      var kept = [];
      items.forEach(function (it) {
        var el = it.marker.getElement();
        if (!el) { return; }
        el.style.visibility = "";
        var div = el.firstChild, r = div.getBoundingClientRect();
        var box = {l: r.left - 2, r: r.right + 2, t: r.top - 1, b: r.bottom + 1};
        var clash = kept.some(function (k) {
          return box.l < k.r && box.r > k.l && box.t < k.b && box.b > k.t;
        });
        if (clash) { el.style.visibility = "hidden"; div.classList.add("pp-label-hidden"); }
        else { div.classList.remove("pp-label-hidden"); kept.push(box); }
      });
    }
    map.on("zoomend moveend resize", declutter);
    map._ppOff.push(function () { map.off("zoomend moveend resize", declutter); });
    declutter();
    return declutter;
  }

  // Hatching patterns, defined once per document in a hidden SVG: a path in any of the
  // map's SVG renderers can fill with url(#pp-hatch-1) or url(#pp-hatch-2).
  function hatchPatterns() {
    if (document.getElementById("pp-hatch-defs")) { return; }
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("id", "pp-hatch-defs");
    svg.setAttribute("width", "0");
    svg.setAttribute("height", "0");
    svg.style.position = "absolute";
    var defs = document.createElementNS(ns, "defs");
    [[1, 8], [2, 4]].forEach(function (h) {
      var pat = document.createElementNS(ns, "pattern");
      pat.setAttribute("id", "pp-hatch-" + h[0]);
      pat.setAttribute("patternUnits", "userSpaceOnUse");
      pat.setAttribute("width", String(h[1]));
      pat.setAttribute("height", String(h[1]));
      pat.setAttribute("patternTransform", "rotate(45)");
      var line = document.createElementNS(ns, "line");
      line.setAttribute("x1", "0"); line.setAttribute("y1", "0");
      line.setAttribute("x2", "0"); line.setAttribute("y2", String(h[1]));
      line.setAttribute("stroke", "#222222");
      line.setAttribute("stroke-width", "1.5");
      pat.appendChild(line);
      defs.appendChild(pat);
    });
    svg.appendChild(defs);
    document.body.appendChild(svg);
  }

  // The hatched regions of this view, over the choropleth; the mouse passes through.
  function hatching(root, cfg, data) {
    var hatched = data.features.filter(function (f) {
      var s = cfg.style[f.properties.code];
      return s && s[2];
    });
    if (!hatched.length) { return 0; }
    hatchPatterns();
    L.geoJson({type: "FeatureCollection", features: hatched}, {
      interactive: false, className: "pp-hatch",
      style: function (f) {
        return {stroke: false, fill: true, fillOpacity: 1,
                fillColor: "url(#pp-hatch-" + cfg.style[f.properties.code][2] + ")"};
      }
    }).addTo(root);
    return hatched.length;
  }

  function symbols(root, cfg, data) {
    var max = 0, code;
    for (code in cfg.symbols) { max = Math.max(max, cfg.symbols[code]); }
    if (!max) { return; }
    var group = L.featureGroup();
    data.features.slice().sort(function (a, b) {
      return (cfg.symbols[b.properties.code] || 0) - (cfg.symbols[a.properties.code] || 0);
    }).forEach(function (f) {
      var n = cfg.symbols[f.properties.code] || 0;
      if (!n) { return; }
      L.circleMarker(f.properties.lp, {radius: 3 + 25 * Math.sqrt(n / max), interactive: false,
        color: "#08306b", weight: 1, fillColor: "#2171b5", fillOpacity: 0.45,
        className: "pp-symbol"}).addTo(group);
    });
    group.addTo(root);
  }

  function popupOfPoint(cfg, r) {
    var t = cfg.points.text;
    var net = r[5] === null ? "–" : (r[5] ? t.yes : t.no);
    return "<b>" + r[2] + "</b><br>" + t.village + ": " + r[3] + "<br>" + t.kader + ": " +
      (r[4] === null ? "–" : r[4]) + "<br>" + t.internet + ": " + net + "<br>" + t.strata + ": " +
      (r[6] === null ? "–" : r[6]) +
      (r[7] ? "<br><b style='color:#b30000'>" + t.sample + "</b>" : "");
  }

  function points(root, cfg, current) {
    var p = cfg.points;
    var make = function (r) {
      var m = L.circleMarker([r[0], r[1]], {radius: 6, color: "#08306b", weight: 1,
        fillColor: r[5] === 0 ? "#ef3b2c" : "#2171b5", fillOpacity: 0.9});
      m.bindPopup(function () { return popupOfPoint(cfg, r); }, {maxWidth: 320});
      return m;
    };
    clusters(p.cluster).then(function () {
      if (!current()) { return; }   // the view was replaced meanwhile
      var group = L.markerClusterGroup({disableClusteringAtZoom: 13, chunkedLoading: true});
      group.addTo(root);
      p.urls.forEach(function (url) { pointsFile(url, group); });
    });
    function pointsFile(url, group) {
      geometry(url).then(function (d) {
        if (!current()) { return; }   // the view was replaced meanwhile
        var add = d.rows.filter(function (r) {
          return (!p.prefix || r[8] === p.prefix || r[8].indexOf(p.prefix + ".") === 0) &&
                 (!p.offlineOnly || r[5] === 0);
        }).map(make);
        group.addLayers(add);
      });
    }
  }

  // Leaflet.markercluster, loaded by the first view that draws points (a national or
  // province view, the first a visitor sees, draws circles per region and needs none).
  var clusterScript = null;
  function clusters(files) {
    if (L.markerClusterGroup) { return Promise.resolve(); }
    if (!clusterScript) {
      files.css.forEach(function (href) {
        var link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = href;
        document.head.appendChild(link);
      });
      clusterScript = new Promise(function (resolve, reject) {
        var el = document.createElement("script");
        el.src = files.js;
        el.onload = resolve;
        el.onerror = function () { clusterScript = null; reject(new Error(files.js)); };
        document.head.appendChild(el);
      });
    }
    return clusterScript;
  }

  // Is latlng inside the polygon layer? (even-odd rule over every ring, so holes and
  // multipolygons count right)
  function inside(layer, latlng) {
    var x = latlng.lng, y = latlng.lat, odd = false;
    (function walk(parts) {
      if (!parts.length) { return; }
      if (parts[0] instanceof L.LatLng) {
        for (var i = 0, j = parts.length - 1; i < parts.length; j = i++) {
          var a = parts[i], b = parts[j];
          if ((a.lat > y) !== (b.lat > y) &&
              x < (b.lng - a.lng) * (y - a.lat) / (b.lat - a.lat) + a.lng) { odd = !odd; }
        }
        return;
      }
      parts.forEach(walk);
    })(layer.getLatLngs());
    return odd;
  }

  function openRegionAt(choropleth, latlng) {
    var hit = null;
    choropleth.eachLayer(function (l) {
      if (!hit && l.getBounds().contains(latlng) && inside(l, latlng)) { hit = l; }
    });
    if (hit) { hit.openPopup(latlng); }
  }

  // Projector mode: hazard zones as diagonal hatching over the choropleth (its colours stay
  // visible between the lines), sparse for rendah, dense for tinggi, so a zone is never
  // read as a class of the choropleth. SVG patterns, one per colour and class, in the
  // overlay's own SVG (Leaflet writes fillColor into the path's fill attribute).
  var HATCH = {rendah: [16, 1.6], sedang: [11, 2], tinggi: [8, 2.6]};   // spacing, width (px)
  function hatch(zones) {
    var ns = "http://www.w3.org/2000/svg";
    zones.eachLayer(function (l) {
      var path = l._path, svg = path && path.ownerSVGElement;
      if (!svg) { return; }
      var kelas = l.feature.properties.k, color = l.options.fillColor;
      var id = "pp-hatch-" + kelas + "-" + color.replace(/[^0-9a-zA-Z]/g, "");
      if (!svg.querySelector("#" + id)) {
        var defs = svg.querySelector("defs") || svg.insertBefore(
          document.createElementNS(ns, "defs"), svg.firstChild);
        var spec = HATCH[kelas] || HATCH.sedang, pat = document.createElementNS(ns, "pattern");
        pat.setAttribute("id", id);
        pat.setAttribute("patternUnits", "userSpaceOnUse");
        pat.setAttribute("width", spec[0]);
        pat.setAttribute("height", spec[0]);
        pat.setAttribute("patternTransform", "rotate(45)");
        // each line in the type's colour on a white halo: it stands out on any class colour
        [["#ffffff", spec[1] + 2.4, 0.85], [color, spec[1], 1]].forEach(function (ln) {
          var line = document.createElementNS(ns, "line");
          line.setAttribute("x1", "0"); line.setAttribute("y1", "0");
          line.setAttribute("x2", "0"); line.setAttribute("y2", String(spec[0]));
          line.setAttribute("stroke", ln[0]);
          line.setAttribute("stroke-width", String(ln[1]));
          line.setAttribute("stroke-opacity", String(ln[2]));
          pat.appendChild(line);
        });
        defs.appendChild(pat);
      }
      path.setAttribute("fill", "url(#" + id + ")");
      path.setAttribute("data-pp-hatch", kelas);
    });
  }

  function hazards(map, root, h, choropleth, data) {
    var key = function (p) { return p.j + "|" + p.k; };
    var forward = function (e) { L.DomEvent.stop(e); openRegionAt(choropleth, e.latlng); };
    var zones = L.geoJson(data.zones, {
      className: "pp-hazard",
      interactive: false,     // hover and click reach the region below
      style: function (f) {
        var c = h.colors[key(f.properties)] || "#999999";
        if (h.hatch) {        // hatched in the type's darkest colour, outlined: see hatch()
          var dark = h.colors[f.properties.j + "|tinggi"] || "#333333";
          return {fillColor: dark, color: dark, weight: 1.5, fillOpacity: 1, opacity: 0.9};
        }
        return {fillColor: c, color: c, weight: 1, fillOpacity: 0.55};
      }
    }).addTo(root);
    if (h.hatch) { hatch(zones); }
    var many = data.high.length > 3000, renderer;
    if (many) {   // one canvas in a pane the mouse passes through
      var pane = map.getPane("pp-high") || map.createPane("pp-high");
      pane.style.zIndex = 450;
      pane.style.pointerEvents = "none";
      renderer = L.canvas({padding: 0.2, pane: "pp-high"});
      map._ppOff.push(function () { map.removeLayer(renderer); });
    }
    var group = L.featureGroup();
    data.high.forEach(function (r) {
      // small rings where there are thousands, so the choropleth stays readable
      var m = L.circleMarker([r[0], r[1]], {radius: many ? 2.5 : 6, color: "#000000",
        weight: many ? 1 : 2, fillColor: "#ffffff", fillOpacity: 0.6, renderer: renderer,
        interactive: !many,
        className: "pp-high"});
      if (!many) {
        m.bindTooltip(r[2] + " — " + h.high, {className: "pp-tooltip"});
        m.on("click", forward);
      }
      m.addTo(group);
    });
    group.addTo(root);
  }

  // The regions of a level: drawn once per geometry file; a view of the same regions (another
  // page, another indicator) only recolours them, and tooltips and popups read the view's
  // values (regions.cfg).
  function regionLayer(map, data, cfg) {
    var regions = map._ppRegions;
    if (regions && regions.data === data) { regions.cfg = cfg; return regions; }
    if (regions) { map.removeLayer(regions.layer); }
    regions = map._ppRegions = {data: data, url: cfg.url || null, cfg: cfg, layer: null};
    var layer = regions.layer = L.geoJson(data, {
      className: "pp-region",   // the choropleth's polygons (hazard zones, points: others)
      style: function (f) {
        var cfg = regions.cfg, s = cfg.style[f.properties.code], marked = s && s[1];
        return {fillColor: s ? s[0] : NO_DATA, color: marked ? "#000000" : cfg.border,
                weight: marked ? 3 : 0.8, fillOpacity: 0.85, dashArray: marked ? "6 4" : null};
      },
      onEachFeature: function (f, l) {
        var code = f.properties.code;
        l.bindTooltip(function () { return info(regions.cfg, code, f.properties); },
                      {sticky: true, className: "pp-tooltip"});
        l.bindPopup(function () {
          var cfg = regions.cfg, body = info(cfg, code, f.properties);
          if (cfg.drill) {
            body += "<button type='button' class='pp-open' data-code='" + code + "'>" +
                    cfg.text.open + "</button>";
          }
          return body;
        }, {maxWidth: 340, className: "pp-popup"});
        l.on("mouseover", function () { l.setStyle({weight: 3, color: "#000000", fillOpacity: 0.95}); });
        l.on("mouseout", function () { layer.resetStyle(l); });
      }
    });
    return regions;
  }

  function draw(map, root, cfg, data, current) {
    var regions = regionLayer(map, data, cfg);
    var layer = regions.layer;
    if (map.hasLayer(layer)) { layer.setStyle(layer.options.style); }
    else { layer.addTo(map); }
    window.pp_choropleth = layer;
    var hatched = hatching(root, cfg, data);
    var periods = window.PetaPeriods;   // peta-periods.js: split view and timeline
    if (periods) {
      if (cfg.split) { periods.split(map, cfg, data); } else { periods.unsplit(map); }
      if (cfg.timeline) { periods.timeline(map, cfg); }
    }
    accessible(map, regions);   // keyboard and screen reader (issue 28)
    if (cfg.symbols) { symbols(root, cfg, data); }
    if (cfg.points) { points(root, cfg, current); }
    if (cfg.hazards) {
      geometry(cfg.hazards.url).then(function (d) {
          if (current()) { hazards(map, root, cfg.hazards, layer, d); }
        });
    }
    var declutter = cfg.labels ? labels(map, root, data) : null;
    // Streamlit sizes the iframe after this script ran: fit the bounds again then.
    // No animation (a zoom animation while clustered points are still being added in
    // chunks can make Leaflet.markercluster read a position it does not have yet); a view
    // replaced meanwhile (a newer one drawn in this map) is left alone.
    function refit() {
      if (!current()) { return; }
      map.invalidateSize({animate: false});
      if (map._ppSplit) {
        var host = map.getContainer();
        map._ppSplit.div.style.top = host.offsetTop + "px";
        map._ppSplit.div.style.height = host.offsetHeight + "px";
        map._ppSplit.other.invalidateSize({animate: false});
      }
      map.fitBounds(cfg.bounds, {animate: false});
      if (declutter) { declutter(); }
    }
    setTimeout(refit, 300);
    setTimeout(refit, 1200);
    map.getContainer().setAttribute("data-pp-ready", "1");
    map.getContainer().setAttribute("data-pp-view", String(map._ppViews));
    map.getContainer().setAttribute("data-pp-hatched", String(hatched));
  }

  // The DATA SAMPEL stamp: a control of its own in the map (it stays with the map in a
  // screenshot, a projector, a full-screen view), its text from the view (escaped by the
  // server), hidden when the view shows no sample data.
  var STAMP_CSS = ".pp-sample{background:#fff;color:#b30000;border:3px solid #b30000;" +
    "border-radius:6px;padding:4px 10px;font:800 20px/1.15 sans-serif;letter-spacing:.04em;" +
    "box-shadow:0 1px 5px rgba(0,0,0,.35);pointer-events:none;text-align:right;max-width:60vw}" +
    ".pp-sample small{display:block;font:600 13px/1.2 sans-serif;letter-spacing:0}" +
    ".pp-sample.pp-big{font-size:26px;border-width:4px;max-width:45vw}" +
    ".pp-sample.pp-big small{font-size:15px}";
  function sampleStamp(map, sample, big) {
    if (!map._ppStamp) {
      if (!document.getElementById("pp-sample-css")) {
        var css = document.createElement("style");
        css.id = "pp-sample-css";
        css.textContent = STAMP_CSS;
        document.head.appendChild(css);
      }
      var Stamp = L.Control.extend({
        onAdd: function () { return L.DomUtil.create("div", "pp-sample"); }
      });
      map._ppStamp = new Stamp({position: "topright"}).addTo(map);
      map._ppStamp.getContainer().setAttribute("role", "note");
    }
    var el = map._ppStamp.getContainer();
    if (sample) {
      el.innerHTML = sample.title + (sample.detail ? "<small>" + sample.detail + "</small>" : "");
      el.style.display = "";
    } else {
      el.innerHTML = "";
      el.style.display = "none";
    }
    el.classList.toggle("pp-big", !!big);
  }

  // The files of the last views (geometry, hazard zones, Posyandu points), parsed once:
  // going back to a page or a level seen before draws at once (0.1 to a few megabytes).
  var geometries = [];
  function geometry(url) {
    for (var i = 0; i < geometries.length; i++) {
      if (geometries[i].url === url) { return geometries[i].data; }
    }
    var data = fetch(url, {cache: "force-cache"}).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
    data.catch(function () {   // a failed download is tried again by the next view
      geometries = geometries.filter(function (g) { return g.url !== url; });
    });
    geometries.unshift({url: url, data: data});
    geometries.length = Math.min(geometries.length, 12);
    return data;
  }

  // "Buka wilayah ini" in a popup of either map drills down.
  function onPopupOpen(e) {
    var btn = e.popup.getElement() && e.popup.getElement().querySelector(".pp-open");
    if (btn) {
      L.DomEvent.on(btn, "click", function (ev) {
        L.DomEvent.stop(ev);
        btn.disabled = true;
        send(btn.getAttribute("data-code"));
      });
    }
  }

  // Once per map: the scale bar and the popup's "Buka wilayah ini" button.
  function mount(map) {
    map._ppMounted = true;
    map._ppViews = 0;
    map._ppOff = [];
    L.control.scale({imperial: false, maxWidth: 160}).addTo(map);  // km only
    map.on("popupopen", onPopupOpen);
  }

  // The site plan of Konektivitas (components.views.siteplan): the regions in grey, each
  // new site's radius and rank, existing sites (dashed), Posyandu reached (blue) or not.
  function plan(map, cfg) {
    var c = cfg.colors, t = cfg.text;
    L.control.scale({imperial: false, maxWidth: 160}).addTo(map);
    sampleStamp(map, cfg.sample, false);
    map.fitBounds(cfg.bounds, {animate: false});
    var got = cfg.data ? Promise.resolve(cfg.data) : geometry(cfg.url);
    return got.then(function (data) {
      L.geoJson(data, {
        style: function () { return {fillColor: "#f0f0f0", color: "#737373", weight: 0.8, fillOpacity: 0.7}; },
        onEachFeature: function (f, l) {
          l.bindTooltip("<b>" + t.name + "</b>: " + f.properties.name);
        }
      }).addTo(map);
      cfg.existing.forEach(function (r) {
        L.circle([r[0], r[1]], {radius: cfg.radius, color: c.existing, weight: 1, dashArray: "4 4",
                                fill: true, fillOpacity: 0.05, interactive: false}).addTo(map);
        L.marker([r[0], r[1]], {icon: L.divIcon({className: "", html: "<div class='pp-existing'></div>",
                                                 iconSize: [14, 14], iconAnchor: [7, 7]})})
          .bindTooltip(r[2]).addTo(map);
      });
      cfg.points.forEach(function (r) {
        L.circleMarker([r[0], r[1]], {radius: 5, color: "#ffffff", weight: 1, fill: true,
                                      fillOpacity: 0.9, fillColor: r[4] ? c.covered : c.uncovered})
          .bindTooltip("<b>" + t.nama + "</b>: " + r[2] + "<br><b>" + t.site + "</b>: " + r[3])
          .addTo(map);
      });
      cfg.sites.forEach(function (r) {
        L.circle([r[0], r[1]], {radius: cfg.radius, color: c.site, weight: 1.5, fill: true,
                                fillOpacity: 0.08, interactive: false}).addTo(map);
        L.marker([r[0], r[1]], {icon: L.divIcon({className: "", iconSize: [24, 24], iconAnchor: [12, 12],
                                                 html: "<div class='pp-site'>" + r[2] + "</div>"})})
          .bindTooltip(r[3]).addTo(map);
      });
      setTimeout(function () {   // once Streamlit has sized the iframe
        map.invalidateSize({animate: false});
        map.fitBounds(cfg.bounds, {animate: false});
      }, 300);
      map.getContainer().setAttribute("data-pp-ready", "1");
    });
  }

  // --- Accessibility (issue 28): keyboard and screen reader. Kept apart from the rest ---
  // cfg.a11y (components.map.access): lang, title, summary, keys, labels {code: name},
  // up (the parent region's code, "" = Indonesia, null at Indonesia). The map's frame gets
  // the page's language, a title, a main landmark with a hidden heading and the map's
  // summary; every region is focusable in reading order, named by its name and value;
  // Enter opens it (what «Buka wilayah ini» sends), Escape goes one level up.
  var A11Y_CSS = ".pp-sr-only{position:absolute!important;width:1px;height:1px;padding:0;" +
    "margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}" +
    "path.pp-region:focus{outline:none}" +
    "path.pp-region:focus-visible{stroke:#000!important;stroke-width:5px!important;" +
    "stroke-dasharray:none!important;fill-opacity:1!important}" +
    ".leaflet-container:focus-visible{outline:3px solid #0b6e4f;outline-offset:-3px}" +
    ".leaflet-touch .leaflet-bar a{min-width:30px;min-height:30px}";

  function a11yDocument(map, a) {
    var doc = document, el = map.getContainer();
    doc.documentElement.setAttribute("lang", a.lang);
    doc.title = a.title;
    var metas = doc.querySelectorAll("meta[name=viewport]");   // folium writes two
    if (!metas.length) {
      var meta = doc.createElement("meta");
      meta.name = "viewport";
      doc.head.appendChild(meta);
      metas = [meta];
    }
    Array.prototype.forEach.call(metas, function (m) {   // zoom allowed (no maximum-scale)
      m.setAttribute("content", "width=device-width, initial-scale=1");
    });
    if (!doc.getElementById("pp-a11y-css")) {
      var style = doc.createElement("style");
      style.id = "pp-a11y-css";
      style.textContent = A11Y_CSS;
      doc.head.appendChild(style);
    }
    el.setAttribute("role", "main");
    var head = doc.getElementById("pp-a11y-title"), text = doc.getElementById("pp-a11y-summary");
    if (!head) {
      head = doc.createElement("h1");
      head.id = "pp-a11y-title";
      head.className = "pp-sr-only";
      text = doc.createElement("p");
      text.id = "pp-a11y-summary";
      text.className = "pp-sr-only";
      text.setAttribute("aria-live", "polite");   // a new view is announced
      el.insertBefore(text, el.firstChild);
      el.insertBefore(head, text);
    }
    head.textContent = a.title;
    text.textContent = a.summary + " " + a.keys;
    el.setAttribute("aria-label", a.title);
  }

  function sendUp(code) {
    // as send(), marked "up": components.state.apply_map_click then accepts "" (Indonesia)
    var feature = {type: "Feature", geometry: null,
                   properties: {code: code, up: 1, click: Date.now() + "-" + Math.random()}};
    var value = {last_active_drawing: feature};
    if (window.__GLOBAL_DATA__) {
      window.__GLOBAL_DATA__.last_active_drawing = feature;
      window.__GLOBAL_DATA__.previous_data = value;
    }
    if (window.Streamlit) { window.Streamlit.setComponentValue(value); }
  }

  // Reading order: bands from north to south, west to east inside a band.
  function readingOrder(layers, bounds) {
    var top = bounds[1][0], band = Math.max((bounds[1][0] - bounds[0][0]) / 5, 1e-9);
    var at = function (l) {
      var p = l.feature.properties.lp, c = p ? {lat: p[0], lng: p[1]} : l.getBounds().getCenter();
      return {row: Math.floor((top - c.lat) / band), lng: c.lng};
    };
    return layers.map(function (l) { return {l: l, k: at(l)}; }).sort(function (a, b) {
      return a.k.row - b.k.row || a.k.lng - b.k.lng;
    }).map(function (x) { return x.l; });
  }

  function popupFits(map, regions) {   // popups stay inside a phone's map
    var width = Math.max(160, Math.min(340, map.getSize().x - 64));
    regions.layer.eachLayer(function (l) {
      var pop = l.getPopup && l.getPopup();
      if (pop) {
        pop.options.maxWidth = width;
        pop.options.autoPanPadding = L.point(12, 12);
        pop.options.keepInView = true;
      }
    });
  }

  // The focused region's outline, drawn above every region (its own stroke is partly
  // under its neighbours, drawn after it); the mouse passes through it.
  function focusRing(map, l) {
    if (map._ppFocusRing) { map.removeLayer(map._ppFocusRing); map._ppFocusRing = null; }
    if (!l) { return; }
    if (!map.getPane("pp-focus")) {
      var pane = map.createPane("pp-focus");
      pane.style.zIndex = 460;
      pane.style.pointerEvents = "none";
    }
    map._ppFocusRing = L.geoJson(l.toGeoJSON(), {pane: "pp-focus", interactive: false,
      style: function () { return {color: "#000000", weight: 5, fill: false, opacity: 1}; }
    }).addTo(map);
  }

  function a11yRegions(map, regions) {
    var layer = regions.layer;
    if (!layer._ppA11y) {
      layer._ppA11y = true;
      var ordered = [];
      layer.eachLayer(function (l) { ordered.push(l); });
      readingOrder(ordered, regions.cfg.bounds).forEach(function (l) {
        var path = l.getElement && l.getElement();
        if (!path) { return; }
        path.parentNode.appendChild(path);   // DOM order = Tab order
        path.setAttribute("tabindex", "0");
        path.setAttribute("data-code", l.feature.properties.code);
        L.DomEvent.on(path, "focus", function () {
          var p = l.feature.properties.lp;
          if (path.matches && !path.matches(":focus-visible")) { return; }   // a click
          focusRing(map, l);
          // the tooltip above the region (not over it), centred on its label point
          var b = l.getBounds(), tip = l.getTooltip();
          if (tip) { tip.options.direction = "top"; }
          l.openTooltip(L.latLng(b.getNorth(), p ? p[1] : b.getCenter().lng));
        });
        L.DomEvent.on(path, "blur", function () {
          var tip = l.getTooltip();
          focusRing(map, null);
          l.closeTooltip();
          if (tip) { tip.options.direction = "auto"; }
        });
        L.DomEvent.on(path, "keydown", function (e) {
          var cfg = regions.cfg;
          if ((e.key === "Enter" || e.key === " ") && cfg.drill) {
            L.DomEvent.stop(e);
            map._ppKeyFocus = true;
            path.setAttribute("aria-busy", "true");
            send(l.feature.properties.code);
          }
        });
      });
    }
    var a = regions.cfg.a11y, drill = regions.cfg.drill;
    layer.eachLayer(function (l) {
      var path = l.getElement && l.getElement(), code = l.feature.properties.code;
      if (!path) { return; }
      path.setAttribute("role", drill ? "button" : "img");
      path.setAttribute("aria-label", a.labels[code] || l.feature.properties.name);
      path.removeAttribute("aria-busy");
    });
    popupFits(map, regions);
  }

  function a11yKeys(map) {   // once per map: Escape closes a popup, else goes one level up
    if (map._ppA11yKeys) { return; }
    map._ppA11yKeys = true;
    map.on("resize", function () { if (map._ppRegions) { popupFits(map, map._ppRegions); } });
    L.DomEvent.on(document, "keydown", function (e) {
      if (e.key !== "Escape") { return; }
      if (map._popup && map.hasLayer(map._popup)) { map.closePopup(); return; }
      var a = map._ppRegions && map._ppRegions.cfg.a11y;
      if (a && a.up !== null && a.up !== undefined) {
        map._ppKeyFocus = true;
        sendUp(a.up);
      }
    });
  }

  function accessible(map, regions) {
    var a = regions.cfg.a11y;
    focusRing(map, null);   // the last view's
    if (!a) { return; }
    a11yDocument(map, a);
    a11yRegions(map, regions);
    a11yKeys(map);
    if (map._ppKeyFocus) {   // the view a key opened: focus goes to its first region
      map._ppKeyFocus = false;
      var first = map.getContainer().querySelector("path.pp-region[tabindex]");
      if (first) { first.focus({preventScroll: true}); }
    }
  }
  // --- end of accessibility ---

  window.PetaMap = {
    plan: plan,
    // what peta-periods.js (split view, timeline) shares with this file
    shared: {info: info, onPopupOpen: onPopupOpen, NO_DATA: NO_DATA, labels: labels},
    view: function (map, cfg) {
      if (!map._ppMounted) { mount(map); }
      // the previous view goes at once: its layers, its handlers, its pending files
      var view = ++map._ppViews;
      map.closePopup();
      if (map._ppRoot) { map.removeLayer(map._ppRoot); }
      if (map._ppRegions && map._ppRegions.url !== (cfg.url || null)) {   // other regions
        map.removeLayer(map._ppRegions.layer);
        map._ppRegions = null;
      }
      map._ppOff.splice(0).forEach(function (off) { off(); });
      map.getContainer().removeAttribute("data-pp-ready");
      sampleStamp(map, cfg.sample, cfg.labels);   // labels: projector mode
      var root = map._ppRoot = L.layerGroup().addTo(map);  // not a FeatureGroup: clicks
      // on a region must not reach streamlit-folium's own click handlers
      var current = function () {
        return map._ppViews === view && map.getContainer().isConnected;
      };
      map.fitBounds(cfg.bounds, {animate: false});
      var got = cfg.data ? Promise.resolve(cfg.data) : geometry(cfg.url);
      return got.then(function (data) {
        if (current()) { draw(map, root, cfg, data, current); }
      });
    }
  };
})();
