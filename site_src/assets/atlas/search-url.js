/*
 * AtlasSearchURL: the search page's state in its URL, so a result list can be linked and shared.
 *
 * `search/?q=半导体&district=longgang&district=pingshan`: the query and, per facet, the values
 * chosen. No DOM here; the page reads `location.search` and writes with history.replaceState.
 */
(function (exports) {
  "use strict";

  /* {query, filters: {facet: [values]}} from a query string, for the facets the index knows. */
  function read(search, facetNames) {
    var params = new URLSearchParams(search);
    var filters = {};
    facetNames.forEach(function (name) {
      var values = params.getAll(name);
      if (values.length) filters[name] = values;
    });
    return { query: params.get("q") || "", filters: filters };
  }

  /* The query string for a state ("" when there is nothing to keep); facets in name order. */
  function write(state) {
    var params = new URLSearchParams();
    if (state.query) params.set("q", state.query);
    Object.keys(state.filters).sort().forEach(function (name) {
      state.filters[name].forEach(function (v) { params.append(name, v); });
    });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  exports.read = read;
  exports.write = write;
})(typeof module !== "undefined" && module.exports ? module.exports : (window.AtlasSearchURL = {}));
