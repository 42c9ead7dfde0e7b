/*
 * AtlasMap: the small client every Folium map on the site calls.
 *
 * Folium writes each page's map script (map, bounds); geometry is not inlined there but fetched
 * once from the shared atlas.geojson and filtered per layer, so pages stay light and the browser
 * caches one file for the whole site. Every text a map shows comes as JSON data (the map's spec,
 * registered with define(), and the geometry's properties) and reaches the page as a DOM text node
 * (textContent, tooltips and labels given elements, not strings). The one exception is Leaflet's
 * layer control, which sets names with innerHTML: it only ever gets names escaped by escapeHtml().
 */
(function () {
  "use strict";
  var geoCache = {};
  var specs = {};

  /* The map's data, written by the build as JSON at the top of the map script. */
  function define(slug, spec) {
    specs[slug] = spec;
  }

  function spec(slug) {
    return specs[slug];
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function siteRoot(map) {
    var holder = map.getContainer().closest("[data-atlas-root]");
    return holder ? holder.getAttribute("data-atlas-root") : "";
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

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function matches(feature, select) {
    var p = feature.properties;
    if (select.kind && p.kind !== select.kind) return false;
    if (select.ids && select.ids.indexOf(p.id) < 0) return false;
    return true;
  }

  function districtPopup(p, root) {
    var box = el("div", "atlas-popup");
    var title = el("a", "atlas-popup__title", p.name);
    title.href = root + p.url;
    box.appendChild(title);
    var here = p.places_here || [];
    if (here.length) {
      box.appendChild(el("div", "atlas-popup__kind", "仅区级地点（规划未给出具体位置）：" + here.length + " 处"));
      var list = el("ul", "atlas-popup__clusters");
      here.slice(0, 10).forEach(function (entry) {
        var item = el("li");
        var link = el("a", null, entry[0]);
        link.href = root + entry[1];
        item.appendChild(link);
        list.appendChild(item);
      });
      box.appendChild(list);
      if (here.length > 10) box.appendChild(el("div", "atlas-popup__note", "等 " + here.length + " 处，见区页面"));
    }
    if (p.precision_note) box.appendChild(el("div", "atlas-popup__note", p.precision_note));
    return box;
  }

  function popupFor(feature, data, root) {
    var p = feature.properties;
    if (p.kind === "district") return districtPopup(p, root);
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
        var link = el("a", null, info.name);
        link.href = root + info.url;
        item.appendChild(swatch);
        item.appendChild(link);
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    if (p.precision_note) box.appendChild(el("div", "atlas-popup__note", p.precision_note));
    var more = el("a", "atlas-popup__more", "查看详情 →");
    more.href = root + p.url;
    box.appendChild(more);
    return box;
  }

  /* A GeoJSON layer filled from the shared file. opts: {name, geo, select, style, popup, label, cls} */
  function layer(map, opts) {
    var root = siteRoot(map);
    var group = L.geoJSON(null, {
      interactive: !!(opts.popup || opts.label === "hover"), // decoration layers let clicks through
      style: function () {
        return opts.style;
      },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, Object.assign({ radius: 7 }, opts.style));
      },
      onEachFeature: function (feature, item) {
        var id = feature.properties.id;
        if (item.options) item.options.className = (opts.cls || "atlas-feature") + " atlas-id-" + id;
        if (opts.label === "permanent" && feature.properties.label_at) {
          // Labels sit on a point inside the shape (computed at build time), not on the bbox centre.
          var at = feature.properties.label_at;
          group.addLayer(
            L.tooltip({ permanent: true, direction: "center", className: "atlas-label", interactive: false })
              .setLatLng([at[1], at[0]])
              .setContent(el("span", null, feature.properties.name))
          );
        } else if (opts.label) {
          item.bindTooltip(el("span", null, feature.properties.name), { direction: "top", sticky: true, className: "atlas-hover" });
        }
        if (opts.popup) {
          item.bindPopup(function () {
            return popupFor(feature, group._atlasData, root);
          });
        }
      },
    });
    group._atlasName = opts.name;
    loadGeo(root + opts.geo)
      .then(function (data) {
        group._atlasData = data;
        group.addData(data.features.filter(function (f) { return matches(f, opts.select); }));
        map.getContainer().setAttribute("data-atlas-loaded", "1");
      })
      .catch(function (error) {
        var note = el("div", "atlas-map-error", "地图数据加载失败，请刷新页面重试。");
        map.getContainer().appendChild(note);
        throw error;
      });
    return group;
  }

  /* Legend control from spec.legend: {title, items: [{color, label, url, outline, point}], note}. */
  function legend(map, mapSpec) {
    var root = siteRoot(map);
    var title = mapSpec.legend.title, items = mapSpec.legend.items, note = mapSpec.legend.note;
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = el("div", "atlas-legend leaflet-control");
      box.appendChild(el("div", "atlas-legend__title", title));
      items.forEach(function (entry) {
        var row = el("div", "atlas-legend__row");
        var swatch = el("span", "atlas-swatch" + (entry.outline ? " atlas-swatch--outline" : "") + (entry.point ? " atlas-swatch--point" : ""));
        swatch.style.background = entry.outline ? "transparent" : entry.color;
        swatch.style.borderColor = entry.color;
        row.appendChild(swatch);
        if (entry.url) {
          var link = el("a", null, entry.label);
          link.href = root + entry.url;
          row.appendChild(link);
        } else {
          row.appendChild(el("span", null, entry.label));
        }
        box.appendChild(row);
      });
      if (note) box.appendChild(el("div", "atlas-legend__note", note));
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(map);
    return control;
  }

  /* The layer list: every layer of the map that has a name, names escaped (Leaflet uses innerHTML). */
  function layerControl(map) {
    var control = L.control.layers(null, null, { collapsed: true }).addTo(map);
    map.eachLayer(function (item) {
      if (item._atlasName) control.addOverlay(item, escapeHtml(item._atlasName));
    });
    return control;
  }

  /* Find-by-name: a text box listing every place in the shared file; choosing one zooms to it. */
  function finder(map) {
    var root = siteRoot(map);
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var box = el("div", "atlas-finder leaflet-control");
      var id = map.getContainer().id + "-finder";
      var input = el("input");
      input.type = "search";
      input.placeholder = "查找园区或地点…";
      input.setAttribute("aria-label", "按名称查找地点");
      input.setAttribute("list", id);
      var options = el("datalist");
      options.id = id;
      box.appendChild(input);
      box.appendChild(options);
      var places = {};
      loadGeo(root + "assets/atlas/geo/atlas.geojson").then(function (data) {
        data.features.forEach(function (f) {
          if (f.properties.kind !== "place") return;
          places[f.properties.name] = f;
          var option = el("option");
          option.value = f.properties.name;
          options.appendChild(option);
        });
      });
      function go() {
        var feature = places[input.value.trim()];
        if (!feature) return;
        var shape = L.geoJSON(feature);
        var bounds = shape.getBounds();
        if (feature.geometry.type === "Point") map.setView(bounds.getCenter(), Math.max(map.getZoom(), 13));
        else map.fitBounds(bounds, { maxZoom: 14, padding: [20, 20] });
        var target = null;
        map.eachLayer(function (item) {
          if (!target && item.feature && item.feature.properties.id === feature.properties.id && item.getPopup && item.getPopup()) {
            target = item;
          }
        });
        if (target) target.openPopup(feature.geometry.type === "Point" ? bounds.getCenter() : undefined);
        box.setAttribute("data-found", feature.properties.id);
      }
      input.addEventListener("change", go);
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") go();
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
    return control;
  }

  window.AtlasMap = {
    define: define,
    spec: spec,
    layer: layer,
    legend: legend,
    layerControl: layerControl,
    finder: finder,
    escapeHtml: escapeHtml,
  };
})();
