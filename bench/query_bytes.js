/*
 * Bytes a visitor fetches for a search on a built site, counted with the shipped engine under Node
 * (no browser needed, so the scale benchmark can ask at 100× the content).
 *
 * Usage: node bench/query_bytes.js SITE QUERY [QUERY …]
 * Prints JSON {cold, warm}: `cold` is the index files (as stored, compressed) a fresh visitor's
 * first query reads: meta.json, the shards of its terms and the document packs of the ten results
 * shown; `warm` is what each later query adds with those files cached (the mean over the rest).
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const Engine = require("../site_src/assets/atlas/search-engine.js");

const [site, ...queries] = process.argv.slice(2);
const fetched = new Map(); // file -> bytes, as a browser cache would hold them

function load(file) {
  const bytes = fs.readFileSync(path.join(site, file + Engine.FILE_SUFFIX));
  if (!fetched.has(file)) fetched.set(file, bytes.length);
  return Engine.readFile(bytes);
}

function total() {
  let sum = 0;
  for (const bytes of fetched.values()) sum += bytes;
  return sum;
}

async function ask(meta, query) {
  const found = await Engine.searchOrSimplified(query, meta, load);
  const shown = found.matches.sort(Engine.rank).slice(0, 10); // the first page of results
  await Promise.all(shown.map((m) => Engine.loadDoc(m.id, meta, load)));
}

(async () => {
  const meta = await load("search/meta.json");
  await ask(meta, queries[0]);
  const cold = total();
  let added = 0;
  for (const query of queries.slice(1)) {
    const before = total();
    await ask(meta, query);
    added += total() - before;
  }
  process.stdout.write(JSON.stringify({ cold, warm: queries.length > 1 ? added / (queries.length - 1) : 0 }) + "\n");
})();
