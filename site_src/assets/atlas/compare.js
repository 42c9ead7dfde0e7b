/*
 * The compare view: 2–4 places or districts side by side, from compare.json (written by the build).
 *
 * The items are kept in the URL (?ids=longgang-west,district:pingshan), so the page can be shared;
 * "加入比较" links on place and district pages arrive as ?add=<id> and join the items last used.
 * Everything is put on the page with textContent.
 *
 * One script for both editions: the page's language (data-atlas-lang, else <html lang>) picks the
 * strings below; the English page names its own data (data-atlas-data: compare.en.json, names in
 * English) and its root leads to the English pages. Chinese text on an English page (a quote, a
 * name without English yet) is marked lang="zh-CN".
 */
(function () {
  "use strict";
  var MAX = 4;
  var STORE = "atlas-compare";
  var root = document.querySelector("[data-atlas-compare]");
  if (!root) return;
  var base = root.getAttribute("data-atlas-root") || "";
  var lang = (root.getAttribute("data-atlas-lang") || document.documentElement.lang || "zh").toLowerCase().indexOf("en") === 0 ? "en" : "zh";
  var dataURL = root.getAttribute("data-atlas-data") || base + "assets/atlas/compare.json";
  var STRINGS = {
    zh: {
      corner: "项目",
      remove: "移除",
      removeLabel: function (name) { return "移除 " + name; },
      tooFew: function () { return "请至少选择两个园区或行政区进行比较（最多 " + MAX + " 个）。"; },
      comparing: function (n) { return "正在比较 " + n + " 项。"; },
      notFound: function (text) { return "没有找到“" + text + "”。"; },
      rows: [
        ["类型", function (i) { return i.kind; }],
        ["行政区", function (i) { return i.district + (i.street ? " · " + i.street : ""); }],
        ["产业集群", function (i) { return i.clusters; }],
        ["市级布局定位", function (i) { return i.roles; }],
        ["面积", function (i) { return i.area ? i.area + (i.area_km2 !== null ? "（约 " + i.area_km2 + " 平方公里）" : "") : ""; }],
        ["重点项目", function (i) { return i.projects.length ? i.projects.length + " 个" : ""; }],
        ["项目总投资（已载明者）", function (i) { return i.investment_yi !== null ? i.investment_yi + " 亿元" : ""; }],
        ["项目", function (i) { return i.projects; }],
        ["涉及的目标", function (i) { return i.targets; }],
        ["提及的规划", function (i) { return i.plans; }],
        ["位置精度", function (i) { return i.precision; }],
      ],
    },
    en: {
      corner: "Item",
      remove: "Remove",
      removeLabel: function (name) { return "Remove " + name; },
      tooFew: function () { return "Choose at least two parks or districts to compare (at most " + MAX + ")."; },
      comparing: function (n) { return "Comparing " + n + " items."; },
      notFound: function (text) { return "Nothing found for “" + text + "”."; },
      rows: [
        ["Kind", function (i) { return i.kind; }],
        ["District", function (i) { return i.district + (i.street ? " · " + i.street : ""); }],
        ["Industry clusters", function (i) { return i.clusters; }],
        ["Roles in the city's layout", function (i) { return i.roles; }],
        ["Area", function (i) { return i.area ? i.area + (i.area_km2 !== null ? " (about " + i.area_km2 + " km²)" : "") : ""; }],
        ["Key projects", function (i) { return i.projects.length ? i.projects.length + (i.projects.length === 1 ? " project" : " projects") : ""; }],
        ["Total investment of the projects (where stated)", function (i) { return i.investment || ""; }],
        ["Projects", function (i) { return i.projects; }],
        ["Targets naming it", function (i) { return i.targets; }],
        ["Plans mentioning it", function (i) { return i.plans; }],
        ["Location precision", function (i) { return i.precision; }],
      ],
    },
  };
  var T = STRINGS[lang];
  var CHINESE = /[\u3400-\u9fff\uf900-\ufaff]/;

  function marked(node, text) {
    // Chinese on an English page: for screen readers and fonts, as the English templates do.
    if (lang === "en" && text && CHINESE.test(text)) node.setAttribute("lang", "zh-CN");
    return node;
  }

  function text(value) {
    return lang === "en" && CHINESE.test(value) ? marked(el("span", null, value), value) : document.createTextNode(value);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function idsFromURL() {
    var params = new URLSearchParams(location.search);
    return (params.get("ids") || "").split(",").filter(Boolean);
  }

  function remembered() {
    try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  }

  function save(ids) {
    try { localStorage.setItem(STORE, JSON.stringify(ids)); } catch (e) { /* private mode: the URL still holds them */ }
    history.replaceState(null, "", location.pathname + (ids.length ? "?ids=" + ids.map(encodeURIComponent).join(",") : ""));
  }

  function cellValue(value) {
    var td = el("td");
    if (Array.isArray(value)) {
      if (!value.length) td.appendChild(el("span", "atlas-muted", "—"));
      var list = el("ul", "atlas-compare__list");
      value.forEach(function (v) { list.appendChild(marked(el("li", null, v), v)); });
      if (value.length) td.appendChild(list);
    } else {
      td.appendChild(value ? text(value) : el("span", "atlas-muted", "—"));
    }
    return td;
  }

  function headerCell(text, scope) {
    var th = el("th", null, text);
    th.setAttribute("scope", scope);
    return th;
  }

  function render(data, ids) {
    var table = root.querySelector(".atlas-compare__table");
    var status = root.querySelector(".atlas-compare__status");
    table.textContent = "";
    var items = ids.map(function (id) { return [id, data.items[id]]; }).filter(function (p) { return p[1]; });
    status.textContent = items.length < 2 ? T.tooFew() : T.comparing(items.length);
    if (!items.length) return;
    var head = el("thead");
    var row = el("tr");
    row.appendChild(headerCell(T.corner, "col"));
    items.forEach(function (pair) {
      var th = headerCell(undefined, "col");
      th.setAttribute("data-id", pair[0]);
      var link = marked(el("a", null, pair[1].name), pair[1].name);
      link.href = base + pair[1].url;
      var remove = el("button", "atlas-compare__remove", T.remove);
      remove.type = "button";
      remove.setAttribute("aria-label", T.removeLabel(pair[1].name));
      remove.addEventListener("click", function () { update(data, ids.filter(function (i) { return i !== pair[0]; })); });
      th.appendChild(link);
      th.appendChild(remove);
      row.appendChild(th);
    });
    head.appendChild(row);
    table.appendChild(head);
    var body = el("tbody");
    T.rows.forEach(function (spec) {
      var tr = el("tr");
      tr.appendChild(headerCell(spec[0], "row"));
      items.forEach(function (pair) { tr.appendChild(cellValue(spec[1](pair[1]))); });
      body.appendChild(tr);
    });
    table.appendChild(body);
  }

  function update(data, ids) {
    ids = ids.filter(function (id, i) { return data.items[id] && ids.indexOf(id) === i; }).slice(-MAX);
    save(ids);
    render(data, ids);
    root.setAttribute("data-compare-ids", ids.join(","));
  }

  fetch(dataURL).then(function (r) {
    if (!r.ok) throw new Error(dataURL + ": HTTP " + r.status);
    return r.json();
  }).then(function (data) {
    var byName = {};
    var names = root.querySelector("#atlas-compare-names");
    Object.keys(data.items).sort().forEach(function (id) {
      byName[data.items[id].name] = id;
      if (data.items[id].name_zh && !byName[data.items[id].name_zh]) byName[data.items[id].name_zh] = id;  // English data: the Chinese name works too
      var option = el("option");
      option.value = data.items[id].name;
      names.appendChild(option);
    });
    var params = new URLSearchParams(location.search);
    var ids = idsFromURL();
    var added = params.get("add");
    if (added) ids = (ids.length ? ids : remembered()).concat([added]);
    update(data, ids);
    var form = root.querySelector(".atlas-compare__add");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = form.querySelector("input");
      var id = byName[input.value.trim()] || input.value.trim();
      if (!data.items[id]) {
        root.querySelector(".atlas-compare__status").textContent = T.notFound(input.value);
        return;
      }
      input.value = "";
      update(data, idsFromURL().concat([id]));
    });
  });
})();
