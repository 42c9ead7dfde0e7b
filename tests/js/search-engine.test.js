// The shipped search engine (site_src/assets/atlas/search-engine.js) against fixtures the Python
// side wrote: the same folding and hashing, and exactly the documents a substring scan finds.
// Run by tests/test_search_js.py: node --test tests/js/, with ATLAS_SEARCH_FIXTURES set.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
const Engine = require(path.join(root, "site_src/assets/atlas/search-engine.js"));
const URLState = require(path.join(root, "site_src/assets/atlas/search-url.js"));
const fixtures = process.env.ATLAS_SEARCH_FIXTURES;
if (!fixtures) throw new Error("set ATLAS_SEARCH_FIXTURES to the directory the Python test wrote");
const expected = JSON.parse(fs.readFileSync(path.join(fixtures, "expected.json"), "utf8"));
const load = (file) => Promise.resolve(JSON.parse(fs.readFileSync(path.join(fixtures, file), "utf8")));

test("folding, squashing and hashing agree with the Python index builder", () => {
  for (const [text, folded, squashed, hash] of expected.vectors) {
    assert.equal(Engine.fold(text), folded, `fold(${text})`);
    assert.equal(Engine.squash(text), squashed, `squash(${text})`);
    assert.equal(Engine.fnv1a(text), hash, `fnv1a(${text})`);
  }
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
