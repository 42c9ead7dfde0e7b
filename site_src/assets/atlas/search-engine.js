/*
 * AtlasSearchEngine: exact substring search over a static index: search/, and en/search/ for the
 * English edition (format: docs/search.md).
 *
 * No DOM here: the engine takes a `load(path)` function that resolves to parsed JSON, so the same
 * code runs in the page (fetch) and under Node's test runner (files written by the Python side).
 * The index's files are stored gzip-compressed under their name plus FILE_SUFFIX; `readFile` turns
 * one file's bytes back into its JSON, with the browser's own DecompressionStream.
 *
 * A query is split on spaces into terms (AND). Each term is folded like the index (full-width →
 * half-width, lower case) and looked up in positional bigram postings: a document matches when the
 * term's bigrams sit at consecutive positions, so results contain the term exactly.
 *
 * An index with `latin_words` (the English edition's) also lists where Latin words start: there a
 * term without Chinese that begins with a Latin letter or digit must also begin a word, so it
 * matches whole words and word prefixes ("semi" finds "semiconductor", "conductor" does not).
 * Chinese terms keep substring semantics everywhere. Its `names` (where each document's aliases,
 * indexed right after the title, end) rank a hit in a Chinese name or its pinyin right after title hits.
 */
(function (exports) {
  "use strict";
  var MAX_TERM = 64; // longer terms are checked against the document text instead of every bigram
  var CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f";
  var SPACE_NEAR_CJK = new RegExp("(?<=[" + CJK + "])\\s+|\\s+(?=[" + CJK + "])", "g");
  var HAS_CJK = new RegExp("[" + CJK + "]");
  // Characters of Latin words, as LATIN_WORD in builder/search/index.py.
  var LATIN_WORD = new RegExp("^[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]$");

  /* One character folded, keeping one character per character (positions stay valid). */
  function foldChar(c) {
    var f = c.normalize("NFKC").toLowerCase();
    return Array.from(f).length === 1 ? f : c.toLowerCase();
  }
  function fold(text) {
    return Array.from(text).map(foldChar).join("");
  }
  function squash(text) {
    return text.replace(SPACE_NEAR_CJK, "").replace(/\s+/g, " ").trim();
  }
  /* 32-bit FNV-1a over code points: which shard holds a key. */
  function fnv1a(key) {
    var h = 0x811c9dc5;
    Array.from(key).forEach(function (c) {
      h ^= c.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    });
    return h >>> 0;
  }
  var FILE_SUFFIX = ".gz";
  var FORMAT_VERSION = 3; // meta.json's version: FORMAT_VERSION in builder/search/index.py

  /* One index file's bytes (an ArrayBuffer or Uint8Array) → a promise of its JSON. A gzip stream
     is decompressed here; bytes without gzip's magic number are taken as JSON already (a server
     that sent the file with Content-Encoding: gzip, which the browser decoded on the way). */
  function readFile(bytes) {
    var data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    if (data[0] !== 0x1f || data[1] !== 0x8b) return Promise.resolve(JSON.parse(new TextDecoder().decode(data)));
    var stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  /* A bigram's postings, [doc gap, count, positions delta-coded…, doc gap, …], as
     fn(docId, absolute positions) per document. */
  function eachPosting(list, fn) {
    var doc = 0;
    for (var i = 0; i < list.length; ) {
      doc += list[i];
      var n = list[i + 1];
      fn(doc, undelta(list.slice(i + 2, i + 2 + n)));
      i += 2 + n;
    }
  }

  /* Delta-coded positions back to absolute ones: [3, 4, 10] → [3, 7, 17]. */
  function undelta(deltas) {
    var pos = 0;
    return deltas.map(function (d) { return (pos += d); });
  }

  function termsOf(query) {
    // Fold first so a full-width space (U+3000) also separates terms; cap the query length.
    return fold(query.slice(0, 500))
      .split(/\s+/)
      .filter(Boolean)
      .filter(function (t, i, all) { return all.indexOf(t) === i; });
  }

  function isWordChar(c) {
    return c !== undefined && LATIN_WORD.test(c);
  }

  /* Must `term` begin a word where it matches? On an index with latin_words, a term without Chinese
     characters that begins with a Latin letter or digit. */
  function wordStart(term, meta) {
    return !!(meta && meta.latin_words) && !HAS_CJK.test(term) && isWordChar(Array.from(term)[0]);
  }

  /* Does a folded text contain `term` (at a word start, if `atStart`)? */
  function contains(folded, term, atStart) {
    if (!atStart) return folded.indexOf(term) >= 0;
    for (var i = folded.indexOf(term); i >= 0; i = folded.indexOf(term, i + 1)) {
      if (!isWordChar(folded[i - 1])) return true;
    }
    return false;
  }

  function bigramsOf(term) {
    var chars = Array.from(term);
    var grams = [];
    for (var i = 0; i + 1 < chars.length; i++) grams.push(chars[i] + chars[i + 1]);
    return grams;
  }

  function matchUnigram(term, meta, load) {
    return load("search/uni/" + (fnv1a(term) % meta.uni_shards) + ".json").then(function (shard) {
      var hits = {};
      var list = shard[term] || [], doc = 0; // [doc gap, count, doc gap, count, …]
      for (var i = 0; i < list.length; i += 2) hits[(doc += list[i])] = { count: list[i + 1], positions: null };
      return hits;
    });
  }

  /* The word starts of a Latin character: {docId: [positions]} (keys " x" of the bigram shards). */
  function wordStarts(char, meta, load) {
    var key = " " + char;
    return load("search/bi/" + (fnv1a(key) % meta.bi_shards) + ".json").then(function (shard) {
      var starts = {};
      eachPosting(shard[key] || [], function (doc, positions) { starts[doc] = positions; });
      return starts;
    });
  }

  /*
   * The documents containing `term`: a promise of {docId: {count, positions, verify}}, where
   * positions are the code-point offsets of each occurrence in the document text (null for a
   * single character), and `verify` is set when only the text can confirm the match (long terms).
   * A term that must begin a word (`wordStart`) keeps only the occurrences that do.
   */
  function matchTerm(term, meta, load) {
    if (!wordStart(term, meta)) return matchSubstring(term, meta, load);
    var chars = Array.from(term);
    return wordStarts(chars[0], meta, load).then(function (starts) {
      if (chars.length === 1) {
        var all = {};
        Object.keys(starts).forEach(function (doc) { all[doc] = { count: starts[doc].length, positions: starts[doc] }; });
        return all;
      }
      return matchSubstring(term, meta, load).then(function (found) {
        var hits = {};
        Object.keys(found).forEach(function (doc) {
          var hit = found[doc];
          if (!starts[doc]) return;
          if (hit.verify) { hits[doc] = hit; return; } // the text check in search() tests word starts too
          var at = new Set(starts[doc]);
          var kept = hit.positions.filter(function (p) { return at.has(p); });
          if (kept.length) hits[doc] = { count: kept.length, positions: kept };
        });
        return hits;
      });
    });
  }

  /* The documents containing `term` anywhere (see matchTerm). */
  function matchSubstring(term, meta, load) {
    if (Array.from(term).length === 1) return matchUnigram(term, meta, load);
    var grams = bigramsOf(term);
    var checkByText = grams.length > MAX_TERM;
    if (checkByText) {
      var step = Math.ceil(grams.length / 8);
      grams = grams.filter(function (_, i) { return i % step === 0; });
    }
    var unique = grams.filter(function (g, i) { return grams.indexOf(g) === i; });
    return Promise.all(
      unique.map(function (g) {
        return load("search/bi/" + (fnv1a(g) % meta.bi_shards) + ".json").then(function (s) { return [g, s[g] || []]; });
      })
    ).then(function (pairs) {
      var postings = {};
      pairs.forEach(function (p) {
        var byDoc = {};
        eachPosting(p[1], function (doc, positions) { byDoc[doc] = new Set(positions); });
        postings[p[0]] = byDoc;
      });
      var hits = {};
      Object.keys(postings[grams[0]]).forEach(function (doc) {
        if (checkByText) {
          if (unique.every(function (g) { return postings[g][doc]; })) hits[doc] = { count: 1, positions: null, verify: true };
          return;
        }
        var found = [];
        postings[grams[0]][doc].forEach(function (start) {
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

  function facetIndex(meta, name) {
    return meta.facets.findIndex(function (f) { return f.name === name; });
  }
  /* A document's row in meta.json: [title length, text length, [codes of facet 0], [codes of facet 1], …]. */
  function facetCodes(meta, row, name) {
    return row[2 + facetIndex(meta, name)];
  }
  function typeOf(meta, row) {
    return meta.facets[facetIndex(meta, "type")].values[facetCodes(meta, row, "type")[0]];
  }

  /* Document `id` ({type, title, url, text, aliases}) from its pack: pack n holds the documents
     from meta.doc_packs[n] up to the next pack's first. */
  function loadDoc(id, meta, load) {
    var starts = meta.doc_packs, low = 0, high = starts.length - 1;
    id = Number(id);
    while (low < high) { // the last pack starting at or before id
      var middle = (low + high + 1) >> 1;
      if (starts[middle] <= id) low = middle; else high = middle - 1;
    }
    return load("search/doc/" + low + ".json").then(function (pack) { return pack[id - starts[low]]; });
  }

  /* Every document containing all terms of `query`, unranked: [{id, terms, titleHit, …}]. */
  function search(query, meta, load) {
    var terms = termsOf(query);
    if (!terms.length) return Promise.resolve([]);
    return Promise.all(terms.map(function (t) { return matchTerm(t, meta, load); })).then(function (perTerm) {
      var ids = Object.keys(perTerm[0]).filter(function (id) {
        return perTerm.every(function (hits) { return hits[id]; });
      });
      var needText = ids.filter(function (id) {
        return perTerm.some(function (hits) { return hits[id].verify; });
      });
      return Promise.all(needText.map(function (id) { return loadDoc(id, meta, load); })).then(function (docs) {
        var verified = {};
        docs.forEach(function (doc, i) {
          var folded = fold(doc.text);
          verified[needText[i]] = terms.every(function (t) { return contains(folded, t, wordStart(t, meta)); });
        });
        return ids
          .filter(function (id) { return !(id in verified) || verified[id]; })
          .map(function (id) { return describe(Number(id), terms, perTerm, meta); });
      });
    });
  }

  function describe(id, terms, perTerm, meta) {
    var row = meta.docs[id];
    var titleHit = false, nameHit = false, count = 0;
    // Where the names end: the title's end, or (an index with names: the English one) the aliases'.
    var namesEnd = meta.names ? meta.names[id] : row[0];
    perTerm.forEach(function (hits) {
      var h = hits[id];
      count += h.count;
      if (h.positions && h.positions[0] < row[0]) titleHit = true;
      if (h.positions && h.positions[0] < namesEnd) nameHit = true;
    });
    var first = perTerm[0][id];
    var exactTitle = terms.length === 1 && !!first.positions && first.positions[0] === 0 && Array.from(terms[0]).length === row[0];
    return {
      id: id, terms: terms, titleHit: titleHit, exactTitle: exactTitle, isRecord: typeOf(meta, row) !== "规划原文",
      // Where words are words (latin_words), a title that begins with the first term comes first.
      titleStart: !!meta.latin_words && !!first.positions && first.positions[0] === 0,
      nameHit: nameHit, count: count, density: count / Math.max(row[1], 1), row: row,
    };
  }

  /* Exact title, then title hits (shorter titles first), then records before plan paragraphs, then
     density. The English index adds: among title hits, titles that begin with the first term; after
     title hits, hits in the names (the Chinese names and their pinyin), shorter titles first.
     On the Chinese index these never differ (no latin_words; the names are the title). */
  function rank(a, b) {
    return (
      (b.exactTitle - a.exactTitle) || (b.titleHit - a.titleHit) || (b.titleStart - a.titleStart) ||
      (a.titleHit && b.titleHit ? a.row[0] - b.row[0] : 0) || // among title hits, the closer (shorter) title
      (b.nameHit - a.nameHit) || (a.nameHit && b.nameHit ? a.row[0] - b.row[0] : 0) ||
      (b.isRecord - a.isRecord) ||
      (b.density - a.density) || (b.count - a.count) || (a.id - b.id)
    );
  }

  /* A query in traditional characters that finds nothing is retried in simplified characters. */
  function searchOrSimplified(query, meta, load) {
    return search(query, meta, load).then(function (matches) {
      if (matches.length || !/[\u4e00-\u9fff]/.test(query)) return { matches: matches, simplified: "" };
      return load("search/t2s.json").then(function (table) {
        var simple = Array.from(query).map(function (c) { return table[c] || c; }).join("");
        if (simple === query) return { matches: matches, simplified: "" };
        return search(simple, meta, load).then(function (retry) {
          return { matches: retry, simplified: retry.length ? simple : "" };
        });
      });
    });
  }

  /* Does a match pass the facet filters ({facet: [values]}), ignoring the facet `except`? */
  function passes(meta, match, filters, except) {
    return Object.keys(filters).every(function (name) {
      if (name === except || !filters[name].length) return true;
      var facet = meta.facets[facetIndex(meta, name)];
      var codes = facetCodes(meta, match.row, name);
      return filters[name].some(function (value) { return codes.indexOf(facet.values.indexOf(value)) >= 0; });
    });
  }

  /* A snippet around the first match, as runs [{text, marked}] with every term occurrence marked;
     `atStart(term)`, if given, says which terms count only where they begin a word. */
  function snippetRuns(text, terms, before, length, atStart) {
    var chars = Array.from(text);
    var folded = chars.map(foldChar);
    var marks = new Array(chars.length).fill(false);
    var first = -1;
    terms.forEach(function (t) {
      var tc = Array.from(t);
      for (var i = 0; i + tc.length <= folded.length; i++) {
        var ok = true;
        for (var k = 0; k < tc.length; k++) if (folded[i + k] !== tc[k]) { ok = false; break; }
        if (ok && atStart && atStart(t) && isWordChar(folded[i - 1])) ok = false;
        if (ok) {
          for (var m = 0; m < tc.length; m++) marks[i + m] = true;
          if (first < 0 || i < first) first = i;
        }
      }
    });
    var start = Math.max(0, first - (before || 40));
    var end = Math.min(chars.length, Math.max(first, 0) + (length || 110));
    var runs = [];
    if (start > 0) runs.push({ text: "…", marked: false });
    for (var i = start; i < end; i++) {
      var c = chars[i] === "\n" ? " " : chars[i];
      var last = runs[runs.length - 1];
      if (last && last.marked === marks[i] && last.text !== "…") last.text += c;
      else runs.push({ text: c, marked: marks[i] });
    }
    if (end < chars.length) runs.push({ text: "…", marked: false });
    return runs;
  }

  exports.fold = fold;
  exports.foldChar = foldChar;
  exports.squash = squash;
  exports.fnv1a = fnv1a;
  exports.undelta = undelta;
  exports.FILE_SUFFIX = FILE_SUFFIX;
  exports.FORMAT_VERSION = FORMAT_VERSION;
  exports.readFile = readFile;
  exports.termsOf = termsOf;
  exports.matchTerm = matchTerm;
  exports.wordStart = wordStart;
  exports.contains = contains;
  exports.search = search;
  exports.loadDoc = loadDoc;
  exports.searchOrSimplified = searchOrSimplified;
  exports.rank = rank;
  exports.passes = passes;
  exports.facetCodes = facetCodes;
  exports.snippetRuns = snippetRuns;
})(typeof module !== "undefined" && module.exports ? module.exports : (window.AtlasSearchEngine = {}));
