// labbook serve: live reload. Injected into every page served by `labbook serve`, never
// into a built site. Listens to /__labbook/events (Server-Sent Events):
//   reload {pages, all}  reload this page if it changed, keeping the scroll position
//   css {name: path}     swap the changed stylesheets without a reload
//   error [diagnostics]  show them over the page (dismissable)
//   ok                   hide them
(function () {
  "use strict";
  if (!window.EventSource) return;
  var SCROLL_KEY = "labbook-serve-scroll:" + location.pathname;
  var OVERLAY_ID = "labbook-serve-errors";

  /** This page's path relative to the site root, as the server names pages. */
  function here() {
    var path = decodeURIComponent(location.pathname).replace(/^\/+/, "");
    if (path === "" || path.slice(-1) === "/") path += "index.html";
    return path;
  }

  // Back from a live reload: go to where the reader was. Until the page has loaded and
  // scrolled there, a second reload keeps that position rather than the top.
  var pendingY = null;
  try {
    var saved = sessionStorage.getItem(SCROLL_KEY);
    if (saved !== null) {
      sessionStorage.removeItem(SCROLL_KEY);
      pendingY = Number(saved) || 0;
      // The script runs at the end of the body: scroll now, and once more when images and
      // fonts have loaded, unless the reader has scrolled since.
      window.scrollTo(0, pendingY);
      var settled = window.scrollY;
      var restore = function () {
        if (window.scrollY === settled) window.scrollTo(0, pendingY);
        pendingY = null;
      };
      if (document.readyState === "complete") restore();
      else window.addEventListener("load", restore);
    }
  } catch (e) { /* storage disabled: reload at the top */ }

  function reload() {
    var y = pendingY !== null ? pendingY : window.scrollY;
    try { sessionStorage.setItem(SCROLL_KEY, String(y)); } catch (e) { /* ignore */ }
    location.reload();
  }

  function swapStylesheets(names) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var href = link.getAttribute("href") || "";
      var m = href.match(/^(.*?)(assets\/.+)\.[0-9a-f]{10}(\.[^./]+)$/);
      if (!m) continue;
      // "../assets/labbook.0123456789.css" is the stylesheet "labbook.css".
      var path = names[m[2].replace(/^assets\//, "") + m[3]];
      if (path) link.setAttribute("href", m[1] + path);
    }
  }

  function hideErrors() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
  }

  function showErrors(list) {
    hideErrors();
    var box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;left:1rem;right:1rem;bottom:1rem;z-index:2147483647;max-height:60vh;overflow:auto;" +
      "padding:1rem 1.25rem;border-radius:8px;border:2px solid #c62828;background:#fff5f5;color:#3b0d0d;" +
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 8px 30px rgba(0,0,0,.3);";
    var head = document.createElement("div");
    head.style.cssText = "display:flex;justify-content:space-between;align-items:center;gap:1rem;margin-bottom:.5rem;font-weight:700;";
    var title = document.createElement("span");
    title.textContent = "labbook: " + list.length + (list.length === 1 ? " error" : " errors") + " (the page shows the last good build)";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Dismiss");
    close.style.cssText = "font:inherit;font-size:20px;line-height:1;border:0;background:none;color:inherit;cursor:pointer;";
    close.addEventListener("click", hideErrors);
    head.appendChild(title);
    head.appendChild(close);
    box.appendChild(head);
    var ul = document.createElement("ul");
    ul.style.cssText = "margin:0;padding:0;list-style:none;";
    list.forEach(function (d) {
      var li = document.createElement("li");
      li.className = "labbook-serve-error";
      li.style.cssText = "margin:.25rem 0;white-space:pre-wrap;";
      li.textContent = d.text;
      ul.appendChild(li);
    });
    box.appendChild(ul);
    (document.body || document.documentElement).appendChild(box);
  }

  var source = new EventSource("/__labbook/events");
  // Tells tests (and the curious) that this page listens: <html data-labbook-live="open">.
  source.addEventListener("open", function () {
    document.documentElement.setAttribute("data-labbook-live", "open");
  });
  source.addEventListener("reload", function (e) {
    var data = JSON.parse(e.data);
    var path = here();
    // Each language of a translated book is a site of its own under its code (`fr/`).
    var inFolder = (data.folders || []).some(function (f) { return path.indexOf(f) === 0; });
    if (data.all || inFolder || /(^|\/)print\.html$/.test(path) || data.pages.indexOf(path) >= 0) reload();
  });
  source.addEventListener("css", function (e) {
    swapStylesheets(JSON.parse(e.data));
  });
  source.addEventListener("error", function (e) {
    // Connection problems are also "error" events, without data: EventSource retries them.
    if (!e.data) return;
    var list = JSON.parse(e.data);
    if (document.body) showErrors(list);
    else document.addEventListener("DOMContentLoaded", function () { showErrors(list); });
  });
  source.addEventListener("ok", hideErrors);
  window.addEventListener("pagehide", function () { source.close(); });
})();
