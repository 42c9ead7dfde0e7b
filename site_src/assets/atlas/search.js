/*
 * AtlasSearch: the search page. The engine (search-engine.js) finds and ranks; the URL state
 * (search-url.js) keeps the query and facets linkable; this file draws results and facets.
 *
 * Everything from the index is put on the page with textContent (highlights are <mark> elements
 * around text nodes), so it is always escaped.
 *
 * One script for both editions: the page's language (the search root's data-atlas-lang, else the
 * document's lang) picks the UI strings below; the index the page loads (data-atlas-root + search/)
 * brings the result types and facet labels in its own language.
 */
(function () {
  "use strict";
  var PAGE = 10;
  var Engine = window.AtlasSearchEngine;
  var URLState = window.AtlasSearchURL;
  var root = document.querySelector("[data-atlas-search]");
  if (!root || !Engine || !URLState) return;
  var base = root.getAttribute("data-atlas-root") || "";
  var STRINGS = {
    zh: {
      alias: function (names) { return "别称匹配：" + names.join("、"); },
      noMatch: function (terms) { return "没有找到包含“" + terms.join(" ") + "”的结果。"; },
      clear: "清除筛选条件后重试",
      fewerTerms: "多个词语需同时出现；试试减少词语。",
      more: function (left) { return "更多（还有 " + left + " 条）"; },
      end: function (total) { return "已显示全部 " + total + " 条结果"; },
      prompt: "请输入要搜索的词语，例如：半导体、园区、坪山。",
      found: function (count, filtered, simplified) {
        return "找到 " + count + " 条结果" + (filtered ? "（已筛选）" : "") + (simplified ? "（已按简体“" + simplified + "”查找）" : "");
      },
      failed: "搜索出错，请刷新页面重试。",
    },
    en: {
      alias: function (names) { return "Also matches: " + names.join("; "); },
      noMatch: function (terms) { return "No results for “" + terms.join(" ") + "”."; },
      clear: "Clear the filters and try again",
      fewerTerms: "All words must occur together; try fewer words.",
      more: function (left) { return "More (" + left + " left)"; },
      end: function (total) { return "All " + total + " results shown"; },
      prompt: "Type a word to search for, for example: semiconductor, park, Pingshan.",
      found: function (count, filtered, simplified) {
        return "Found " + count + (count === 1 ? " result" : " results") + (filtered ? " (filtered)" : "") +
          (simplified ? " (searched in simplified characters: “" + simplified + "”)" : "");
      },
      failed: "Search failed; please reload the page.",
    },
  };
  var lang = (root.getAttribute("data-atlas-lang") || document.documentElement.lang || "zh").slice(0, 2).toLowerCase();
  if (!STRINGS[lang]) lang = "zh";
  var T = STRINGS[lang];
  // A link to the other edition's search (the English page's "search the Chinese plan texts"),
  // kept pointing at the current query.
  var other = root.querySelector("a[data-atlas-search-other]");
  var otherBase = other ? other.getAttribute("href") : "";
  var cache = {};
  var state = { meta: null, query: "", filters: {}, shown: PAGE, matches: [], simplified: "" };

  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path + Engine.FILE_SUFFIX).then(function (r) {
        if (!r.ok) throw new Error(path + ": HTTP " + r.status);
        return r.arrayBuffer();
      }).then(Engine.readFile);
    }
    return cache[path];
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) setText(node, text);
    return node;
  }

  /* A node's text. On the English edition, runs of Chinese in it (names, plan titles, quotes from
     the index) are marked lang="zh-CN", as the English pages mark them. */
  var CHINESE = /([\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+)/;
  function setText(node, text) {
    node.textContent = lang === "zh" ? text : "";
    if (lang === "zh") return;
    text.split(CHINESE).forEach(function (part, i) {
      if (!part) return;
      if (i % 2 === 0) return node.appendChild(document.createTextNode(part));
      var span = document.createElement("span");
      span.lang = "zh-CN";
      span.textContent = part;
      node.appendChild(span);
    });
  }

  function textOf(text) {
    var part = document.createDocumentFragment();
    setText(part, text);
    return part;
  }

  /* Does a term count only where it begins a word (English index, Latin term)? */
  function atStart(term) {
    return Engine.wordStart(term, state.meta);
  }

  function snippet(text, terms) {
    var box = el("p", "atlas-result__snippet");
    Engine.snippetRuns(text, terms, undefined, undefined, atStart).forEach(function (run) {
      box.appendChild(run.marked ? el("mark", null, run.text) : textOf(run.text));
    });
    return box;
  }

  function renderResult(match, list) {
    var item = el("li", "atlas-result");
    list.appendChild(item);
    return Engine.loadDoc(match.id, state.meta, load).then(function (doc) {
      var head = el("div", "atlas-result__head");
      head.appendChild(el("span", "atlas-result__type", doc.type));
      var link = el("a", "atlas-result__title", doc.title);
      link.href = base + doc.url;
      head.appendChild(link);
      item.appendChild(head);
      var body = doc.text.slice(doc.text.indexOf("\n") + 1);
      var foldedBody = Engine.fold(body);
      var inBody = match.terms.some(function (t) { return Engine.contains(foldedBody, t, atStart(t)); });
      item.appendChild(snippet(inBody ? body : doc.title, match.terms));
      var aliasHits = (doc.aliases || []).filter(function (a) {
        return match.terms.some(function (t) { return Engine.contains(Engine.fold(a), t, atStart(t)); });
      });
      if (aliasHits.length) item.appendChild(el("p", "atlas-result__alias", T.alias(aliasHits)));
    });
  }

  function facetOption(facet, code, count, selected) {
    var value = facet.values[code];
    var label = el("label", "atlas-facet__option");
    var box = el("input");
    box.type = "checkbox";
    box.value = value;
    box.checked = selected.indexOf(value) >= 0;
    box.addEventListener("change", function () {
      var list = (state.filters[facet.name] || []).filter(function (v) { return v !== value; });
      if (box.checked) list.push(value);
      state.filters[facet.name] = list;
      state.shown = PAGE;
      update(true);
    });
    label.appendChild(box);
    label.appendChild(el("span", null, facet.labels[code]));
    label.appendChild(el("span", "atlas-facet__count", String(count)));
    return label;
  }

  function renderFacets(matches) {
    var box = root.querySelector(".atlas-search__facets");
    box.textContent = "";
    state.meta.facets.forEach(function (facet) {
      var counts = {};
      matches.forEach(function (m) {
        if (!Engine.passes(state.meta, m, state.filters, facet.name)) return;
        Engine.facetCodes(state.meta, m.row, facet.name).forEach(function (code) { counts[code] = (counts[code] || 0) + 1; });
      });
      var selected = state.filters[facet.name] || [];
      var codes = Object.keys(counts).map(Number);
      selected.forEach(function (v) {
        var code = facet.values.indexOf(v);
        if (code >= 0 && codes.indexOf(code) < 0) codes.push(code);
      });
      if (!codes.length) return;
      codes.sort(function (a, b) { return (counts[b] || 0) - (counts[a] || 0) || a - b; });
      var group = el("fieldset", "atlas-facet");
      group.setAttribute("data-facet", facet.name);
      group.appendChild(el("legend", null, facet.label));
      codes.forEach(function (code) { group.appendChild(facetOption(facet, code, counts[code] || 0, selected)); });
      box.appendChild(group);
    });
  }

  function renderNoMatch(status, terms, filtered) {
    status.appendChild(el("span", null, T.noMatch(terms)));
    if (filtered) {
      var clear = el("button", "atlas-search__clear", T.clear);
      clear.type = "button";
      clear.addEventListener("click", function () { state.filters = {}; update(true); });
      status.appendChild(clear);
    } else if (terms.length > 1) {
      status.appendChild(el("span", null, T.fewerTerms));
    }
  }

  function visibleMatches() {
    return state.matches.filter(function (m) { return Engine.passes(state.meta, m, state.filters); });
  }

  /* The 更多 control counts what is not yet listed, from the same filtered set as the total, and
     goes away once everything is listed; an end line then says the list is complete. */
  function updateMore(total) {
    var more = root.querySelector(".atlas-search__more");
    var end = root.querySelector(".atlas-search__end");
    var left = Math.max(0, total - state.shown);
    more.hidden = left === 0;
    more.textContent = T.more(left);
    end.hidden = !(total > PAGE && left === 0);
    end.textContent = T.end(total);
  }

  /* Lists results [from, to) of the visible set; resolves when they are drawn. */
  function listResults(visible, from, to) {
    var list = root.querySelector(".atlas-search__results");
    var drawn = visible.slice(from, to).map(function (m) { return renderResult(m, list); });
    return Promise.all(drawn).then(function () { root.setAttribute("data-shown", String(list.children.length)); });
  }

  function renderResults() {
    var status = root.querySelector(".atlas-search__status");
    root.querySelector(".atlas-search__results").textContent = "";
    status.textContent = "";
    updateMore(0);
    var terms = Engine.termsOf(state.simplified || state.query);
    if (!terms.length) {
      renderFacets([]);
      setText(status, T.prompt);
      return Promise.resolve();
    }
    var visible = visibleMatches();
    renderFacets(state.matches);
    var filtered = Object.keys(state.filters).some(function (k) { return state.filters[k].length; });
    if (!visible.length) {
      renderNoMatch(status, terms, filtered);
      return Promise.resolve();
    }
    setText(status, T.found(visible.length, filtered, state.simplified));
    state.shown = Math.min(state.shown, visible.length);
    updateMore(visible.length);
    return listResults(visible, 0, state.shown);
  }

  /* 更多: append the next page (nothing already listed is drawn again), then move keyboard focus to
     the first new result, since the control itself may have just disappeared. */
  function showMore() {
    var visible = visibleMatches();
    var from = state.shown;
    state.shown = Math.min(from + PAGE, visible.length);
    updateMore(visible.length);
    return listResults(visible, from, state.shown).then(function () {
      var first = root.querySelectorAll(".atlas-result")[from];
      var link = first && first.querySelector("a");
      if (link) link.focus();
    });
  }

  var pending = 0;
  function update(keepMatches) {
    history.replaceState(null, "", location.pathname + URLState.write(state));
    if (other) other.setAttribute("href", otherBase + URLState.write({ query: state.query, filters: {} }));
    var ticket = ++pending;
    root.setAttribute("aria-busy", "true");
    var work = keepMatches
      ? Promise.resolve({ matches: state.matches, simplified: state.simplified })
      : Engine.searchOrSimplified(state.query, state.meta, load);
    return work
      .then(function (found) {
        if (ticket !== pending) return;
        state.matches = found.matches.sort(Engine.rank);
        state.simplified = found.simplified;
        return renderResults();
      })
      .then(function () {
        if (ticket === pending) {
          root.removeAttribute("aria-busy");
          root.setAttribute("data-search-done", state.query);
        }
      })
      .catch(function (error) {
        root.querySelector(".atlas-search__status").textContent = T.failed;
        root.removeAttribute("aria-busy");
        throw error;
      });
  }

  function start() {
    var input = root.querySelector("input[name=q]");
    var initial = URLState.read(location.search, state.meta.facets.map(function (f) { return f.name; }));
    state.query = initial.query;
    state.filters = initial.filters;
    input.value = state.query;
    var timer = null;
    function run() {
      state.query = input.value;
      state.shown = PAGE;
      update(false);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    root.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      run();
    });
    root.querySelector(".atlas-search__more").addEventListener("click", showMore);
    return update(false);
  }

  var ready = load("search/meta.json").then(function (meta) {
    if (meta.version !== Engine.FORMAT_VERSION) throw new Error("search index format " + meta.version + ", expected " + Engine.FORMAT_VERSION);
    state.meta = meta;
    return start();
  }).catch(function (error) {
    root.querySelector(".atlas-search__status").textContent = T.failed;
    throw error;
  });

  /* For tests and benchmarks: the ids of all documents matching a query, best first. */
  window.AtlasSearch = {
    ready: ready,
    query: function (q) {
      return ready
        .then(function () { return Engine.searchOrSimplified(q, state.meta, load); })
        .then(function (found) { return found.matches.sort(Engine.rank).map(function (m) { return m.id; }); });
    },
  };
})();
