/*
 * AtlasSearch: exact substring search over the static index in search/ (see builder/search/index.py).
 *
 * A query is split on spaces into terms (AND). Each term is folded like the index (full-width →
 * half-width, lower case) and looked up in positional bigram postings: a document matches when the
 * term's bigrams sit at consecutive positions, so results contain the term exactly. Only the shards
 * holding the query's keys are fetched; document texts are fetched only for the results shown.
 * Everything from the index is put on the page with textContent, so it is always escaped.
 */
(function () {
  "use strict";
  var PAGE = 10;
  var MAX_TERM = 64; // longer terms are checked against the document text instead of every bigram
  var root = document.querySelector("[data-atlas-search]");
  if (!root) return;
  var base = root.getAttribute("data-atlas-root") || "";
  var cache = {};
  var state = { meta: null, query: "", filters: {}, shown: PAGE, matches: [] };

  function fetchJSON(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": HTTP " + r.status);
        return r.json();
      });
    }
    return cache[path];
  }

  function foldChar(c) {
    var f = c.normalize("NFKC").toLowerCase();
    return Array.from(f).length === 1 ? f : c.toLowerCase();
  }
  function fold(text) {
    return Array.from(text).map(foldChar).join("");
  }
  var CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f";
  var SPACE_NEAR_CJK = new RegExp("(?<=[" + CJK + "])\\s+|\\s+(?=[" + CJK + "])", "g");
  function squash(text) {
    return text.replace(SPACE_NEAR_CJK, "").replace(/\s+/g, " ").trim();
  }
  function fnv1a(key) {
    var h = 0x811c9dc5;
    Array.from(key).forEach(function (c) {
      h ^= c.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    });
    return h >>> 0;
  }

  function termsOf(query) {
    // Fold first so a full-width space (U+3000) also separates terms; cap the query length.
    return fold(query.slice(0, 500))
      .split(/\s+/)
      .filter(Boolean)
      .filter(function (t, i, all) { return all.indexOf(t) === i; });
  }

  /* Map doc id -> list of match positions (code-point offsets in the document text). */
  function matchTerm(term, meta) {
    var chars = Array.from(term);
    if (chars.length === 1) {
      return fetchJSON("search/uni/" + (fnv1a(term) % meta.uni_shards) + ".json").then(function (shard) {
        var hits = {};
        var list = shard[term] || [];
        for (var i = 0; i < list.length; i += 2) hits[list[i]] = { count: list[i + 1], positions: null };
        return hits;
      });
    }
    var grams = [];
    for (var i = 0; i + 1 < chars.length; i++) grams.push(chars[i] + chars[i + 1]);
    var checkByText = grams.length > MAX_TERM;
    if (checkByText) {
      var step = Math.ceil(grams.length / 8);
      grams = grams.filter(function (_, i) { return i % step === 0; }).map(function (g) { return g; });
    }
    var unique = grams.filter(function (g, i) { return grams.indexOf(g) === i; });
    return Promise.all(
      unique.map(function (g) {
        return fetchJSON("search/bi/" + (fnv1a(g) % meta.bi_shards) + ".json").then(function (s) {
          return [g, s[g] || []];
        });
      })
    ).then(function (pairs) {
      var postings = {};
      pairs.forEach(function (p) {
        var byDoc = {};
        p[1].forEach(function (entry) {
          var pos = 0;
          byDoc[entry[0]] = new Set(entry[1].map(function (d) { return (pos += d); }));
        });
        postings[p[0]] = byDoc;
      });
      var hits = {};
      var first = postings[grams[0]];
      Object.keys(first).forEach(function (doc) {
        if (checkByText) {
          if (unique.every(function (g) { return postings[g][doc]; })) hits[doc] = { count: 1, positions: null, verify: term };
          return;
        }
        var found = [];
        first[doc].forEach(function (start) {
          for (var k = 1; k < grams.length; k++) {
            var at = postings[grams[k]][doc];
            if (!at || !at.has(start + k)) return;
          }
          found.push(start);
        });
        if (found.length) hits[doc] = { count: found.length, positions: found.sort(function (a, b) { return a - b; }) };
      });
      return hits;
    });
  }

  function docText(id) {
    return fetchJSON("search/doc/" + id + ".json");
  }

  /* A query in traditional characters that finds nothing is retried in simplified characters. */
  function searchOrSimplified(query) {
    return search(query).then(function (matches) {
      state.simplified = "";
      if (matches.length || !/[\u4e00-\u9fff]/.test(query)) return matches;
      return fetchJSON("search/t2s.json").then(function (table) {
        var simple = Array.from(query).map(function (c) { return table[c] || c; }).join("");
        if (simple === query) return matches;
        return search(simple).then(function (retry) {
          if (retry.length) state.simplified = simple;
          return retry;
        });
      });
    });
  }

  function search(query) {
    var meta = state.meta;
    var terms = termsOf(query);
    if (!terms.length) return Promise.resolve([]);
    return Promise.all(terms.map(function (t) { return matchTerm(t, meta); })).then(function (perTerm) {
      var ids = Object.keys(perTerm[0]).filter(function (id) {
        return perTerm.every(function (hits) { return hits[id]; });
      });
      var needText = ids.filter(function (id) {
        return perTerm.some(function (hits) { return hits[id].verify; });
      });
      return Promise.all(needText.map(docText)).then(function (texts) {
        var verified = {};
        texts.forEach(function (doc, i) {
          var folded = fold(doc.text);
          verified[needText[i]] = terms.every(function (t) { return folded.indexOf(t) >= 0; });
        });
        return ids
          .filter(function (id) { return !(id in verified) || verified[id]; })
          .map(function (id) {
            var row = meta.docs[id];
            var titleHit = false, count = 0;
            perTerm.forEach(function (hits) {
              var h = hits[id];
              count += h.count;
              if (h.positions && h.positions[0] < row[0]) titleHit = true;
            });
            var exactTitle = terms.length === 1 && perTerm[0][id].positions && perTerm[0][id].positions[0] === 0 &&
              Array.from(terms[0]).length === row[0];
            return {
              id: Number(id), terms: terms, titleHit: titleHit, exactTitle: exactTitle, isRecord: typeOf(row) !== "规划原文",
              count: count, density: count / Math.max(row[1], 1), row: row,
            };
          });
      });
    });
  }

  /* Exact title, then title hits (shorter titles first), then records before plan paragraphs, then density. */
  function rank(a, b) {
    return (
      (b.exactTitle - a.exactTitle) || (b.titleHit - a.titleHit) ||
      (a.titleHit && b.titleHit ? a.row[0] - b.row[0] : 0) || // among title hits, the closer (shorter) title
      (b.isRecord - a.isRecord) ||
      (b.density - a.density) || (b.count - a.count) || (a.id - b.id)
    );
  }

  function typeOf(row) {
    var facet = state.meta.facets[facetIndex("type")];
    return facet.values[row[2 + facetIndex("type")][0]];
  }
  function facetIndex(name) {
    return state.meta.facets.findIndex(function (f) { return f.name === name; });
  }
  function passes(match, except) {
    return Object.keys(state.filters).every(function (name) {
      if (name === except || !state.filters[name].length) return true;
      var codes = match.row[2 + facetIndex(name)];
      var facet = state.meta.facets[facetIndex(name)];
      return state.filters[name].some(function (value) { return codes.indexOf(facet.values.indexOf(value)) >= 0; });
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* A snippet around the first match, with every term occurrence wrapped in <mark>. */
  function snippet(text, terms) {
    var chars = Array.from(text);
    var folded = chars.map(foldChar);
    var marks = new Array(chars.length).fill(false);
    var first = -1;
    terms.forEach(function (t) {
      var tc = Array.from(t);
      for (var i = 0; i + tc.length <= folded.length; i++) {
        var ok = true;
        for (var k = 0; k < tc.length; k++) if (folded[i + k] !== tc[k]) { ok = false; break; }
        if (ok) {
          for (var m = 0; m < tc.length; m++) marks[i + m] = true;
          if (first < 0 || i < first) first = i;
        }
      }
    });
    var start = Math.max(0, first - 40), end = Math.min(chars.length, Math.max(first, 0) + 110);
    var box = el("p", "atlas-result__snippet");
    if (start > 0) box.appendChild(document.createTextNode("…"));
    var run = "", marked = false;
    function flush() {
      if (!run) return;
      box.appendChild(marked ? el("mark", null, run) : document.createTextNode(run));
      run = "";
    }
    for (var i = start; i < end; i++) {
      if (marks[i] !== marked) { flush(); marked = marks[i]; }
      run += chars[i] === "\n" ? " " : chars[i];
    }
    flush();
    if (end < chars.length) box.appendChild(document.createTextNode("…"));
    return box;
  }

  function renderResult(match, list) {
    var item = el("li", "atlas-result");
    list.appendChild(item);
    return docText(match.id).then(function (doc) {
      var head = el("div", "atlas-result__head");
      head.appendChild(el("span", "atlas-result__type", doc.type));
      var link = el("a", "atlas-result__title", doc.title);
      link.href = base + doc.url;
      head.appendChild(link);
      item.appendChild(head);
      var body = doc.text.slice(doc.text.indexOf("\n") + 1);
      var foldedBody = fold(body);
      var inBody = match.terms.some(function (t) { return foldedBody.indexOf(t) >= 0; });
      item.appendChild(snippet(inBody ? body : doc.title, match.terms));
      var aliasHits = (doc.aliases || []).filter(function (a) {
        return match.terms.some(function (t) { return fold(a).indexOf(t) >= 0; });
      });
      if (aliasHits.length) item.appendChild(el("p", "atlas-result__alias", "别称匹配：" + aliasHits.join("、")));
    });
  }

  function renderFacets(matches) {
    var box = root.querySelector(".atlas-search__facets");
    box.textContent = "";
    state.meta.facets.forEach(function (facet, index) {
      var counts = {};
      matches.forEach(function (m) {
        if (!passes(m, facet.name)) return;
        m.row[2 + index].forEach(function (code) { counts[code] = (counts[code] || 0) + 1; });
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
      codes.forEach(function (code) {
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
        label.appendChild(el("span", "atlas-facet__count", String(counts[code] || 0)));
        group.appendChild(label);
      });
      box.appendChild(group);
    });
  }

  function writeURL() {
    var params = new URLSearchParams();
    if (state.query) params.set("q", state.query);
    Object.keys(state.filters).sort().forEach(function (name) {
      state.filters[name].forEach(function (v) { params.append(name, v); });
    });
    var url = location.pathname + (params.toString() ? "?" + params.toString() : "");
    history.replaceState(null, "", url);
  }

  function renderResults() {
    var status = root.querySelector(".atlas-search__status");
    var list = root.querySelector(".atlas-search__results");
    var more = root.querySelector(".atlas-search__more");
    list.textContent = "";
    status.textContent = "";
    more.hidden = true;
    var terms = termsOf(state.simplified || state.query);
    if (!terms.length) {
      renderFacets([]);
      status.textContent = "请输入要搜索的词语，例如：半导体、园区、坪山。";
      return Promise.resolve();
    }
    var visible = state.matches.filter(function (m) { return passes(m); });
    renderFacets(state.matches);
    var filtered = Object.keys(state.filters).some(function (k) { return state.filters[k].length; });
    if (!visible.length) {
      status.appendChild(el("span", null, "没有找到包含“" + terms.join(" ") + "”的结果。"));
      if (filtered) {
        var clear = el("button", "atlas-search__clear", "清除筛选条件后重试");
        clear.type = "button";
        clear.addEventListener("click", function () { state.filters = {}; update(true); });
        status.appendChild(clear);
      } else if (terms.length > 1) {
        status.appendChild(el("span", null, "多个词语需同时出现；试试减少词语。"));
      }
      return Promise.resolve();
    }
    status.textContent = "找到 " + visible.length + " 条结果" + (filtered ? "（已筛选）" : "") +
      (state.simplified ? "（已按简体“" + state.simplified + "”查找）" : "");
    var page = visible.slice(0, state.shown);
    more.hidden = visible.length <= state.shown;
    more.textContent = "更多（还有 " + (visible.length - state.shown) + " 条）";
    return Promise.all(page.map(function (m) { return renderResult(m, list); }));
  }

  var pending = 0;
  function update(keepMatches) {
    writeURL();
    var ticket = ++pending;
    root.setAttribute("aria-busy", "true");
    var work = keepMatches ? Promise.resolve(state.matches) : searchOrSimplified(state.query);
    return work
      .then(function (matches) {
        if (ticket !== pending) return;
        state.matches = matches.sort(rank);
        return renderResults();
      })
      .then(function () {
        if (ticket === pending) {
          root.removeAttribute("aria-busy");
          root.setAttribute("data-search-done", state.query);
        }
      })
      .catch(function (error) {
        root.querySelector(".atlas-search__status").textContent = "搜索出错，请刷新页面重试。";
        root.removeAttribute("aria-busy");
        throw error;
      });
  }

  function start() {
    var params = new URLSearchParams(location.search);
    var input = root.querySelector("input[name=q]");
    state.query = params.get("q") || "";
    input.value = state.query;
    state.meta.facets.forEach(function (f) {
      var values = params.getAll(f.name);
      if (values.length) state.filters[f.name] = values;
    });
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        state.query = input.value;
        state.shown = PAGE;
        update(false);
      }, 120);
    });
    root.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      state.query = input.value;
      state.shown = PAGE;
      update(false);
    });
    root.querySelector(".atlas-search__more").addEventListener("click", function () {
      state.shown += PAGE;
      renderResults();
    });
    return update(false);
  }

  var ready = fetchJSON("search/meta.json").then(function (meta) {
    state.meta = meta;
    return start();
  });

  /* For tests and benchmarks: the ids of all documents matching a query, best first. */
  window.AtlasSearch = {
    ready: ready,
    query: function (q) {
      return ready.then(function () { return searchOrSimplified(q); }).then(function (matches) {
        return matches.sort(rank).map(function (m) { return m.id; });
      });
    },
  };
})();
