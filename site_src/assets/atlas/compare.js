/*
 * The compare view: 2–4 places or districts side by side, from compare.json (written by the build).
 *
 * The items are kept in the URL (?ids=longgang-west,district:pingshan), so the page can be shared;
 * "加入比较" links on place and district pages arrive as ?add=<id> and join the items last used.
 * Everything is put on the page with textContent.
 */
(function () {
  "use strict";
  var MAX = 4;
  var STORE = "atlas-compare";
  var root = document.querySelector("[data-atlas-compare]");
  if (!root) return;
  var base = root.getAttribute("data-atlas-root") || "";
  var ROWS = [
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
  ];

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
      value.forEach(function (v) { list.appendChild(el("li", null, v)); });
      if (value.length) td.appendChild(list);
    } else {
      td.appendChild(value ? document.createTextNode(value) : el("span", "atlas-muted", "—"));
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
    status.textContent = items.length < 2 ? "请至少选择两个园区或行政区进行比较（最多 " + MAX + " 个）。" : "正在比较 " + items.length + " 项。";
    if (!items.length) return;
    var head = el("thead");
    var row = el("tr");
    row.appendChild(headerCell("项目", "col"));
    items.forEach(function (pair) {
      var th = headerCell(undefined, "col");
      th.setAttribute("data-id", pair[0]);
      var link = el("a", null, pair[1].name);
      link.href = base + pair[1].url;
      var remove = el("button", "atlas-compare__remove", "移除");
      remove.type = "button";
      remove.setAttribute("aria-label", "移除 " + pair[1].name);
      remove.addEventListener("click", function () { update(data, ids.filter(function (i) { return i !== pair[0]; })); });
      th.appendChild(link);
      th.appendChild(remove);
      row.appendChild(th);
    });
    head.appendChild(row);
    table.appendChild(head);
    var body = el("tbody");
    ROWS.forEach(function (spec) {
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

  fetch(base + "assets/atlas/compare.json").then(function (r) {
    if (!r.ok) throw new Error("compare.json: HTTP " + r.status);
    return r.json();
  }).then(function (data) {
    var byName = {};
    var names = root.querySelector("#atlas-compare-names");
    Object.keys(data.items).sort().forEach(function (id) {
      byName[data.items[id].name] = id;
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
        root.querySelector(".atlas-compare__status").textContent = "没有找到“" + input.value + "”。";
        return;
      }
      input.value = "";
      update(data, idsFromURL().concat([id]));
    });
  });
})();
