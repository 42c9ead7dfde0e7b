/*
 * Material for MkDocs' inline head script (partials/javascripts/base.html of mkdocs-material 9.8),
 * loaded as a file so the site's Content-Security-Policy can forbid inline scripts. It defines the
 * storage helpers Material's bundle expects; the scope comes from the script tag's data attribute.
 */
(function (script) {
  var scope = (script && script.getAttribute("data-md-scope")) || ".";
  window.__md_scope = new URL(scope, location);
  window.__md_hash = function (e) {
    return Array.from(e).reduce(function (h, c) {
      return (h << 5) - h + c.charCodeAt(0);
    }, 0);
  };
  window.__md_get = function (key, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try {
      storage.setItem(base.pathname + "." + key, JSON.stringify(value));
    } catch (e) {
      /* storage full or disabled: Material works without it */
    }
  };
})(document.currentScript);
