/*
 * atlas serve only (never in a built site): reload this tab after a good rebuild, and show the
 * problems of a failed one in a banner over the last good page. Text goes in with textContent.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var site = Number(script.getAttribute("data-site"));
  var banner = null;

  function show(problems) {
    if (!problems.length) {
      if (banner) banner.remove();
      banner = null;
      return;
    }
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "atlas-build-error";
      banner.setAttribute("role", "alert");
      var s = banner.style;  // CSSOM, which the site's CSP allows (no style attribute in markup)
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.top = "0"; s.zIndex = "100000";
      s.maxHeight = "60vh"; s.overflow = "auto"; s.padding = "1em"; s.background = "#fff3f3";
      s.color = "#7a0000"; s.borderBottom = "3px solid #b00020"; s.font = "14px/1.5 monospace";
      s.whiteSpace = "pre-wrap";
      document.body.appendChild(banner);
    }
    banner.textContent = "构建失败，仍显示上次成功的版本 (build failed; showing the last good build)\n\n" + problems.join("\n");
  }

  function poll(version) {
    fetch("/__atlas__/state?after=" + version, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.site !== site) { location.reload(); return; }
        show(state.problems);
        document.documentElement.setAttribute("data-atlas-build", String(state.version));
        poll(state.version);
      })
      .catch(function () { setTimeout(function () { poll(version); }, 1000); }); // server restarting
  }

  poll(-1);
})();
