/*
 * AtlasMapControls: the legend (which is also the cluster filter) and the find-by-name box.
 *
 * The legend lists only the clusters on the current map. Each row shows or hides its cluster;
 * "仅此项" shows that cluster alone and "全部" all of them. The selection lives in the URL
 * (?cluster=semiconductor,new-energy), so a filtered map can be linked. On a phone the legend
 * starts folded behind a "图例" button so it does not cover the map.
 *
 * Keyboard and screen reader (docs/accessibility.md): skip links right after the page's own lead
 * to the finder and the legend; every shape with a popup is a named button reached by Tab and
 * opened with Enter; an opened popup takes the focus, and Escape gives it back.
 */
(function () {
  "use strict";
  var M = window.AtlasMap;
  var PHONE = 600;

  var REDUCED_MOTION = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  /* A skip link to `target`, placed among the page's skip links (`first`: right after the lead one). */
  function skipLink(text, target, first) {
    var links = document.querySelectorAll(".atlas-skip");
    if (!links.length) return;
    var link = M.el("a", "atlas-skip", text);
    link.href = "#" + target.id;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      target.focus();
    });
    var after = first ? links[0] : links[links.length - 1];
    after.parentNode.insertBefore(link, after.nextSibling);
  }

  /* A shape with a popup becomes a named button: Tab reaches it, Enter or Space opens its popup. */
  function reachable(item, name) {
    item.on("add", function () {
      var node = item.getElement && item.getElement();
      if (!node) return;
      node.setAttribute("tabindex", "0");
      node.setAttribute("role", "button");
      node.setAttribute("aria-label", name);
      if (node.atlasKeys) return;
      node.atlasKeys = true;
      node.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        item.openPopup(item.getBounds ? item.getBounds().getCenter() : item.getLatLng());
      });
    });
  }

  /* Focus follows the popup: into it when it opens, back to where it was when it closes. */
  function accessible(map) {
    if (REDUCED_MOTION) {
      map._zoomAnimated = false;
      map._fadeAnimated = false;
      var setView = map.setView, panBy = map.panBy;
      map.setView = function (center, zoom, options) { return setView.call(this, center, zoom, Object.assign({}, options, { animate: false })); };
      map.panBy = function (offset, options) { return panBy.call(this, offset, Object.assign({}, options, { animate: false })); };
    }
    var opener = null;
    function focusInto(node) {
      var first = node && node.querySelector(".leaflet-popup-content a, .leaflet-popup-content button");
      if (first) first.focus({ preventScroll: true });
    }
    map.on("popupopen", function (event) {
      var active = document.activeElement;
      opener = active && active !== document.body ? active : map.getContainer();
      var node = event.popup.getElement();
      focusInto(node);
      if (node && !node.atlasKeys) {
        // Leaflet redraws an open popup's content when it is opened again: keep the focus inside.
        event.popup.on("contentupdate", function () { if (document.activeElement === document.body) focusInto(node); });
        node.atlasKeys = true;
        node.addEventListener("keydown", function (key) {
          if (key.key !== "Escape") return;
          key.stopPropagation();
          map.closePopup();
        });
      }
    });
    map.on("popupclose", function () {
      var back = opener;
      opener = null;
      if (back && document.contains(back) && back.focus) back.focus({ preventScroll: true });
    });
  }

  function button(text, className) {
    var node = M.el("button", className, text);
    node.type = "button";
    return node;
  }

  function clusterRow(map, entry, st) {
    var row = M.el("div", "atlas-legend__row atlas-legend__cluster");
    row.setAttribute("data-cluster", entry.id);
    var toggle = button("", "atlas-legend__toggle");
    toggle.setAttribute("aria-pressed", "true");
    toggle.setAttribute("aria-label", st.text.toggle + entry.label);
    var swatch = M.el("span", "atlas-swatch");
    swatch.style.background = entry.color;
    swatch.style.borderColor = entry.color;
    toggle.appendChild(swatch);
    var link = M.el("a", "atlas-legend__name", entry.label);
    link.href = st.links + entry.url;
    var only = button(st.text.only, "atlas-legend__only");
    row.appendChild(toggle);
    row.appendChild(link);
    row.appendChild(only);
    toggle.addEventListener("click", function () {
      var st = M.stateOf(map);
      var all = st.spec.places.clusters;
      var shown = st.selected.length ? st.selected.slice() : all.slice();
      var at = shown.indexOf(entry.id);
      if (at >= 0) shown.splice(at, 1); else shown.push(entry.id);
      M.select(map, shown.length === all.length ? [] : shown.length ? shown : [entry.id]);
    });
    only.addEventListener("click", function () { M.select(map, [entry.id]); });
    return row;
  }

  function shapeRow(entry) {
    var row = M.el("div", "atlas-legend__row");
    var swatch = M.el("span", "atlas-swatch atlas-swatch--outline" + (entry.point ? " atlas-swatch--point" : "") + (entry.dashed ? " atlas-swatch--dashed" : ""));
    swatch.style.borderColor = entry.color;
    row.appendChild(swatch);
    row.appendChild(M.el("span", null, entry.label));
    return row;
  }

  function legend(map, mapSpec) {
    var st = M.state(map, mapSpec);
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = M.el("div", "atlas-legend leaflet-control");
      var head = M.el("div", "atlas-legend__head");
      var fold = button(mapSpec.legend.title, "atlas-legend__title");
      fold.id = map.getContainer().id + "-legend";
      fold.setAttribute("aria-expanded", "true");
      if (mapSpec.legend.clusters.length) skipLink(st.text.skipLegend, fold, false);
      head.appendChild(fold);
      var all = button(st.text.all, "atlas-legend__all");
      if (mapSpec.legend.clusters.length) head.appendChild(all);
      box.appendChild(head);
      var body = M.el("div", "atlas-legend__body");
      mapSpec.legend.clusters.forEach(function (entry) { body.appendChild(clusterRow(map, entry, st)); });
      mapSpec.legend.shapes.forEach(function (entry) { body.appendChild(shapeRow(entry)); });
      if (mapSpec.legend.note) body.appendChild(M.el("div", "atlas-legend__note", mapSpec.legend.note));
      box.appendChild(body);
      all.addEventListener("click", function () { M.select(map, []); });
      function setFolded(folded) {
        box.classList.toggle("atlas-legend--folded", folded);
        fold.setAttribute("aria-expanded", folded ? "false" : "true");
      }
      fold.addEventListener("click", function () { setFolded(!box.classList.contains("atlas-legend--folded")); });
      setFolded(map.getContainer().clientWidth < PHONE);
      function sync() {
        var selected = M.stateOf(map).selected;
        box.querySelectorAll(".atlas-legend__cluster").forEach(function (row) {
          var on = !selected.length || selected.indexOf(row.getAttribute("data-cluster")) >= 0;
          row.classList.toggle("atlas-legend__row--off", !on);
          row.querySelector(".atlas-legend__toggle").setAttribute("aria-pressed", on ? "true" : "false");
        });
        all.disabled = !selected.length;
      }
      M.onData(map, sync);
      sync();
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
    return control;
  }

  /* Find-by-name: a text box listing every place in the shared file; choosing one zooms to it. */
  function finder(map, mapSpec) {
    var st = M.state(map, mapSpec);
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var box = M.el("div", "atlas-finder leaflet-control");
      var id = map.getContainer().id + "-finder";
      var input = M.el("input");
      input.type = "search";
      input.placeholder = st.text.find;
      input.setAttribute("aria-label", st.text.findLabel);
      input.id = map.getContainer().id + "-find";
      skipLink(st.text.skipFind, input, true);
      input.setAttribute("list", id);
      var options = M.el("datalist");
      options.id = id;
      box.appendChild(input);
      box.appendChild(options);
      var places = {};
      M.onData(map, function (data) {
        places = {};
        options.textContent = "";
        data.features.forEach(function (f) {
          if (f.properties.kind !== "place") return;
          var name = M.local(f.properties, st).name;
          places[name] = f.properties.id;
          var option = M.el("option");
          option.value = name;
          options.appendChild(option);
        });
      });
      function go() {
        var wanted = places[input.value.trim()];
        if (!wanted) return;
        if (M.stateOf(map).selected.length) M.select(map, []); // the place may be filtered out
        var target = null;
        map.eachLayer(function (item) {
          if (!target && item.feature && item.feature.properties.id === wanted && item.getPopup && item.getPopup()) target = item;
        });
        if (!target || target.isPopupOpen()) return; // Enter, then the change it commits: one opening
        if (target.getLatLng) {
          map.setView(target.getLatLng(), Math.max(map.getZoom(), 13));
          target.openPopup();
        } else {
          map.fitBounds(target.getBounds(), { maxZoom: 14, padding: [20, 20] });
          target.openPopup(target.getBounds().getCenter());
        }
        box.setAttribute("data-found", wanted);
      }
      input.addEventListener("change", go);
      input.addEventListener("keydown", function (event) { if (event.key === "Enter") go(); });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
    return control;
  }

  window.AtlasMapControls = { legend: legend, finder: finder, reachable: reachable, accessible: accessible };
})();
