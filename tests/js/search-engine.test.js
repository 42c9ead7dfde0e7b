// The shipped search engine (site_src/assets/atlas/search-engine.js) against fixtures the Python
// side wrote: the same folding and hashing, and exactly the documents a substring scan finds.
// Run by tests/test_search_js.py: node --test tests/js/, with ATLAS_SEARCH_FIXTURES set.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

const root = path.resolve(__dirname, "..", "..");
const Engine = require(path.join(root, "site_src/assets/atlas/search-engine.js"));
const URLState = require(path.join(root, "site_src/assets/atlas/search-url.js"));
const fixtures = process.env.ATLAS_SEARCH_FIXTURES;
if (!fixtures) throw new Error("set ATLAS_SEARCH_FIXTURES to the directory the Python test wrote");
const expected = JSON.parse(fs.readFileSync(path.join(fixtures, "expected.json"), "utf8"));
// The files as the site stores them (gzip-compressed, FILE_SUFFIX), read as the page reads them.
const load = (file) => Engine.readFile(fs.readFileSync(path.join(fixtures, file + Engine.FILE_SUFFIX)));

test("folding, squashing and hashing agree with the Python index builder", () => {
  for (const [text, folded, squashed, hash] of expected.vectors) {
    assert.equal(Engine.fold(text), folded, `fold(${text})`);
    assert.equal(Engine.squash(text), squashed, `squash(${text})`);
    assert.equal(Engine.fnv1a(text), hash, `fnv1a(${text})`);
  }
});

test("an index file reads the same compressed or as plain JSON (a server that decoded it)", async () => {
  const compressed = fs.readFileSync(path.join(fixtures, "search/meta.json" + Engine.FILE_SUFFIX));
  const plain = zlib.gunzipSync(compressed);
  assert.equal(compressed[0], 0x1f);
  assert.equal(JSON.parse(plain.toString("utf8")).version, Engine.FORMAT_VERSION); // the builder writes the format the client reads
  assert.deepEqual(await Engine.readFile(compressed), JSON.parse(plain.toString("utf8")));
  assert.deepEqual(await Engine.readFile(new Uint8Array(plain).buffer), JSON.parse(plain.toString("utf8")));
});

test("delta-coded positions decode to the positions Python recorded", () => {
  for (const [deltas, positions] of expected.deltas) assert.deepEqual(Engine.undelta(deltas), positions);
});

test("every query finds exactly the documents that contain it", async () => {
  const meta = await load("search/meta.json");
  for (const [query, ids] of expected.queries) {
    const found = await Engine.search(query, meta, load);
    assert.deepEqual(found.map((m) => m.id).sort((a, b) => a - b), ids, `query ${JSON.stringify(query)}`);
  }
});

test("match positions point at the term in the folded document text", async () => {
  const meta = await load("search/meta.json");
  for (const [query] of expected.queries) {
    const term = Engine.termsOf(query)[0];
    if (!term || Array.from(term).length < 2 || Array.from(term).length > 64) continue;
    const hits = await Engine.matchTerm(term, meta, load);
    for (const [id, hit] of Object.entries(hits)) {
      const text = Array.from(Engine.fold((await Engine.loadDoc(id, meta, load)).text));
      for (const at of hit.positions) assert.equal(text.slice(at, at + Array.from(term).length).join(""), term);
    }
  }
});

test("ranking puts an exact title first, then title hits by length, then records", async () => {
  const meta = await load("search/meta.json");
  for (const [query, first] of expected.ranking) {
    const found = (await Engine.search(query, meta, load)).sort(Engine.rank);
    assert.equal(found[0].id, first, `best result for ${query}`);
  }
});

test("a traditional-character query is retried in simplified characters", async () => {
  const meta = await load("search/meta.json");
  const [query, simplified, ids] = expected.traditional;
  const found = await Engine.searchOrSimplified(query, meta, load);
  assert.equal(found.simplified, simplified);
  assert.deepEqual(found.matches.map((m) => m.id).sort((a, b) => a - b), ids);
});

test("facet filters keep only matching documents", async () => {
  const meta = await load("search/meta.json");
  const [query, filters, ids] = expected.filtered;
  const found = (await Engine.search(query, meta, load)).filter((m) => Engine.passes(meta, m, filters));
  assert.deepEqual(found.map((m) => m.id).sort((a, b) => a - b), ids);
});

test("snippets mark every occurrence and keep the text", () => {
  const runs = Engine.snippetRuns("甲乙半导体丙半导体", ["半导体"]);
  assert.equal(runs.map((r) => r.text).join(""), "甲乙半导体丙半导体");
  assert.deepEqual(runs.filter((r) => r.marked).map((r) => r.text), ["半导体", "半导体"]);
});

test("the URL keeps the query and facets, in a stable order", () => {
  const state = { query: "半导体 园区", filters: { plan: ["p1"], district: ["longgang", "pingshan"] } };
  const query = URLState.write(state);
  assert.equal(query, "?q=%E5%8D%8A%E5%AF%BC%E4%BD%93+%E5%9B%AD%E5%8C%BA&district=longgang&district=pingshan&plan=p1");
  assert.deepEqual(URLState.read(query, ["district", "plan", "type"]), state);
  assert.equal(URLState.write({ query: "", filters: {} }), "");
});

// --- the English edition's index (en/search/, latin_words): Latin terms match word starts ---------

const loadEnglish = (file) => load("en/" + file); // the English page loads from the English root
const loadReal = (file) => load("real/en/" + file);
const ids = (found) => found.map((m) => m.id).sort((a, b) => a - b);

test("on the English index, Latin terms match word starts and Chinese terms substrings", async () => {
  const meta = await loadEnglish("search/meta.json");
  assert.equal(meta.latin_words, true);
  for (const [query, expectedIds] of expected.english) {
    assert.deepEqual(ids(await Engine.search(query, meta, loadEnglish)), expectedIds, `query ${JSON.stringify(query)}`);
  }
  const chinese = await load("search/meta.json");
  assert.equal(Engine.wordStart("semi", chinese), false); // the Chinese index: substrings, as always
  assert.equal(Engine.wordStart("semi", meta), true);
  assert.equal(Engine.wordStart("ai芯片", meta), false);
  assert.equal(Engine.wordStart("-finished", meta), false);
});

test("on the English index, the closest English title ranks first", async () => {
  const meta = await loadEnglish("search/meta.json");
  for (const [query, first] of expected.english_ranking) {
    const found = (await Engine.search(query, meta, loadEnglish)).sort(Engine.rank);
    assert.equal(found[0].id, first, `best result for ${query}`);
  }
});

test("the bundled content's English index finds exactly what the reference finds", async () => {
  const meta = await loadReal("search/meta.json");
  for (const [query, expectedIds, url] of expected.real) {
    const found = (await Engine.search(query, meta, loadReal)).sort(Engine.rank);
    assert.deepEqual(ids(found), expectedIds, `query ${JSON.stringify(query)}`);
    if (url) {
      const urls = await Promise.all(found.slice(0, 10).map((m) => Engine.loadDoc(m.id, meta, loadReal).then((d) => d.url)));
      assert.ok(urls.includes(url), `${query}: ${url} not among the first ten (${urls.join(", ")})`);
    }
  }
});

test("word starts in snippets and in the text check", () => {
  const atStart = (t) => Engine.wordStart(t, { latin_words: true });
  const runs = Engine.snippetRuns("Semiconductor conductors, 半导体", ["conductor", "半导"], undefined, undefined, atStart);
  assert.deepEqual(runs.filter((r) => r.marked).map((r) => r.text), ["Conductor".toLowerCase(), "半导"]);
  assert.equal(Engine.snippetRuns("Semiconductor", ["conductor"]).filter((r) => r.marked).length, 1); // no atStart: substrings
  assert.equal(Engine.contains("semiconductor", "conductor", true), false);
  assert.equal(Engine.contains("semiconductor conductor", "conductor", true), true);
  assert.equal(Engine.contains("芯片ai", "ai", true), true);
  assert.equal(Engine.contains("semiconductor", "conductor", false), true);
});
