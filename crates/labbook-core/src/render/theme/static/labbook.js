// labbook default theme: small progressive enhancements.
// Every feature is optional and independent: the page reads fine without this file.
(function () {
  "use strict";

  const doc = document.documentElement;
  // The theme's words in the page's language (ui.js); the key itself if ui.js is missing.
  const t = (key, vars) => (window.labbook && window.labbook.t ? window.labbook.t(key, vars) : key);
  const THEME_KEY = "labbook-theme"; // localStorage: "light" | "dark", only once the reader chose
  const SIDEBAR_KEY = "labbook-sidebar"; // localStorage: "hidden" when the reader hid the wide-screen sidebar
  const TOC_KEY = "labbook-toc"; // sessionStorage: {key: open?}, shared with toc.js

  function storage(kind) {
    try {
      return window[kind] || null;
    } catch (e) {
      return null; // access throws when storage is disabled
    }
  }
  const local = storage("localStorage");
  const session = storage("sessionStorage");
  function load(store, key) {
    try {
      return store ? store.getItem(key) : null;
    } catch (e) {
      return null;
    }
  }
  function save(store, key, value) {
    try {
      if (!store) return;
      if (value === null) store.removeItem(key);
      else store.setItem(key, value);
    } catch (e) {
      /* quota or privacy mode: the choice just won't be remembered */
    }
  }
  const media = (query) => (window.matchMedia ? window.matchMedia(query) : { matches: false, addEventListener() {} });

  /* ---------- light / dark theme ---------- */
  const darkQuery = media("(prefers-color-scheme: dark)");
  const themeButtons = document.querySelectorAll("#theme-toggle, [data-theme-toggle]");
  function applyTheme(theme) {
    doc.dataset.theme = theme;
    for (const button of themeButtons) button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
  }
  applyTheme(doc.dataset.theme === "dark" ? "dark" : "light");
  for (const button of themeButtons) {
    button.addEventListener("click", () => {
      const theme = doc.dataset.theme === "dark" ? "light" : "dark";
      applyTheme(theme);
      save(local, THEME_KEY, theme);
    });
  }
  // Until the reader picks a theme, follow the system's as it changes.
  darkQuery.addEventListener("change", (event) => {
    const chosen = load(local, THEME_KEY);
    if (chosen !== "light" && chosen !== "dark") applyTheme(event.matches ? "dark" : "light");
  });
  // Paper is white: print with the light palette whatever the screen uses.
  let themeBeforePrint = null;
  window.addEventListener("beforeprint", () => {
    themeBeforePrint = doc.dataset.theme;
    doc.dataset.theme = "light";
  });
  window.addEventListener("afterprint", () => {
    if (themeBeforePrint) doc.dataset.theme = themeBeforePrint;
  });
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }

  /* ---------- sidebar: drawer on small screens, hideable on wide ones ---------- */
  const sidebar = document.getElementById("sidebar");
  const sidebarToggle = document.getElementById("sidebar-toggle");
  const scrim = document.querySelector(".sidebar-scrim");
  const narrow = media("(max-width: 899.98px)");

  function sidebarShown() {
    return narrow.matches ? doc.classList.contains("sidebar-open") : doc.dataset.sidebar !== "hidden";
  }
  function syncSidebarToggle() {
    if (sidebarToggle) sidebarToggle.setAttribute("aria-expanded", sidebarShown() ? "true" : "false");
  }
  function setDrawer(open) {
    doc.classList.toggle("sidebar-open", open);
    syncSidebarToggle();
    // Keep keyboard focus inside the open drawer.
    const content = document.getElementById("content");
    if (content) content.inert = open;
    if (!sidebar) return;
    if (open) {
      const target = sidebar.querySelector("a.active") || sidebar.querySelector("a, button");
      if (target) target.focus({ preventScroll: true });
    } else if (sidebar.contains(document.activeElement) && sidebarToggle) {
      sidebarToggle.focus();
    }
  }
  if (sidebarToggle) {
    sidebarToggle.addEventListener("click", () => {
      if (narrow.matches) {
        setDrawer(!doc.classList.contains("sidebar-open"));
      } else {
        const hide = doc.dataset.sidebar !== "hidden";
        if (hide) doc.dataset.sidebar = "hidden";
        else delete doc.dataset.sidebar;
        save(local, SIDEBAR_KEY, hide ? "hidden" : null);
        syncSidebarToggle();
      }
    });
  }
  if (scrim) scrim.addEventListener("click", () => setDrawer(false));
  narrow.addEventListener("change", () => {
    if (doc.classList.contains("sidebar-open")) setDrawer(false);
    syncSidebarToggle();
  });
  syncSidebarToggle();
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && doc.classList.contains("sidebar-open")) setDrawer(false);
  });

  /* ---------- folding sidebar sections (state shared with toc.js) ---------- */
  if (sidebar) {
    sidebar.addEventListener("click", (event) => {
      const target = event.target.closest(".toc-toggle, .toc-part-title");
      // Folding off (mdBook's `[output.html.fold] enable = false`): every section stays open.
      if (target && sidebar.dataset.fold !== "off") {
        const li = target.closest("li");
        const list = li && li.querySelector(":scope > .toc");
        if (!list) return;
        const open = li.classList.toggle("collapsed") === false;
        const button = li.querySelector(":scope > .toc-row > .toc-toggle");
        if (button) button.setAttribute("aria-expanded", open ? "true" : "false");
        const key = li.dataset.key;
        if (key) {
          let state = {};
          try {
            state = JSON.parse(load(session, TOC_KEY) || "{}") || {};
          } catch (e) {
            state = {};
          }
          state[key] = open;
          save(session, TOC_KEY, JSON.stringify(state));
        }
        return;
      }
      // Following a link closes the drawer, so "back" returns to a clean page.
      if (event.target.closest("a[href]") && narrow.matches) setDrawer(false);
    });
  }

  /* ---------- language menu (a translated book) ---------- */
  // The language a reader picks is the one the site's root page opens next time.
  for (const link of document.querySelectorAll(".language-list a[data-language]")) {
    link.addEventListener("click", () => save(local, "labbook-language", link.dataset.language));
  }
  // The menu closes on Escape and when the reader clicks elsewhere.
  const languages = document.querySelector(".language-switcher");
  if (languages) {
    document.addEventListener("click", (event) => {
      if (languages.open && !languages.contains(event.target)) languages.open = false;
    });
    languages.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && languages.open) {
        languages.open = false;
        languages.querySelector("summary").focus();
      }
    });
  }

  /* ---------- keyboard: ← and → follow rel=prev / rel=next ---------- */
  document.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target;
    if (target && target.isContentEditable) return;
    // Leave the arrows to form fields and to boxes that scroll sideways (code, tables, math).
    if (target && target.closest && target.closest("input, textarea, select, [contenteditable], pre, table, math, .code-wrap")) return;
    const link = document.querySelector(event.key === "ArrowLeft" ? 'a[rel~="prev"]' : 'a[rel~="next"]');
    if (link && link.href) {
      event.preventDefault();
      window.location.href = link.href;
    }
  });

  /* ---------- "on this page": highlight the section in view ---------- */
  const pageToc = document.querySelector(".page-toc");
  if (pageToc && "IntersectionObserver" in window) {
    const entries = [];
    for (const link of pageToc.querySelectorAll('a[href^="#"]')) {
      let id = link.getAttribute("href").slice(1);
      try {
        id = decodeURIComponent(id);
      } catch (e) {
        /* keep the raw id */
      }
      const heading = document.getElementById(id);
      if (heading) entries.push({ heading, link });
    }
    let current = null;
    const update = () => {
      if (!entries.length) return;
      const topbar = document.querySelector(".topbar");
      const line = (topbar ? topbar.getBoundingClientRect().bottom : 0) + 32;
      let found = entries[0];
      for (const entry of entries) {
        if (entry.heading.getBoundingClientRect().top <= line) found = entry;
        else break;
      }
      // At the very bottom, the last sections can never reach the line: pick the last visible one.
      const scroller = document.scrollingElement || doc;
      if (window.innerHeight + window.scrollY >= scroller.scrollHeight - 4) {
        for (const entry of entries) {
          const top = entry.heading.getBoundingClientRect().top;
          if (top > line && top < window.innerHeight) found = entry;
        }
      }
      if (found === current) return;
      if (current) {
        current.link.classList.remove("active");
        current.link.removeAttribute("aria-current");
      }
      current = found;
      current.link.classList.add("active");
      current.link.setAttribute("aria-current", "location");
      // Keep the highlighted entry visible when the list itself scrolls.
      const box = pageToc.getBoundingClientRect();
      const pos = current.link.getBoundingClientRect();
      if (pos.top < box.top || pos.bottom > box.bottom) pageToc.scrollTop += pos.top - box.top - box.height / 2;
    };
    const observer = new IntersectionObserver(update, { rootMargin: "0px 0px -55% 0px" });
    for (const entry of entries) observer.observe(entry.heading);
    // Headings crossing the observer's band miss jumps (Home, anchors, long scrolls):
    // re-check on every scroll, at most once a frame.
    let frame = 0;
    window.addEventListener("scroll", () => {
      if (!frame) frame = requestAnimationFrame(() => { frame = 0; update(); });
    }, { passive: true });
    update();
  }

  /* ---------- progress: loaded where it is needed ---------- */
  // Pages where a reader completes something (an exercise, a quiz) and the progress and
  // hand-in pages load progress.js before this file. Elsewhere it only ticks the sidebar's
  // pages, so it loads once the reader has kept something in this book, or when another tab
  // keeps something (`data-progress` on this script's tag names it).
  const api = (window.labbook = window.labbook || {});
  const progressScript = document.currentScript && document.currentScript.dataset.progress;
  const progressPrefix = `labbook:${doc.dataset.book || "book"}:`;
  // progress.js's own keys, and the exercises' keys from before books had an id.
  const isProgressKey = (key) => !!key && (key.startsWith(progressPrefix) || key.startsWith("labbook-exercise:"));
  // "Your progress" in the top bar, for books with something to complete (progress-index.js).
  if ((Array.isArray(api.pages) ? api.pages : []).some((p) => p.exercises.length || p.quizzes.length)) {
    for (const link of document.querySelectorAll(".progress-link")) link.hidden = false;
  }
  function progressKept() {
    try {
      for (let i = 0; local && i < local.length; i++) if (isProgressKey(local.key(i))) return true;
    } catch (e) {
      /* storage refused: nothing is kept */
    }
    return false;
  }
  let progressLoading = false;
  function loadProgress() {
    if (progressLoading || api.progress || !progressScript) return;
    progressLoading = true;
    const script = document.createElement("script");
    script.src = progressScript;
    document.head.appendChild(script);
  }
  if (!api.progress) {
    if (progressKept()) loadProgress();
    else {
      window.addEventListener("storage", (event) => isProgressKey(event.key) && loadProgress());
      // A reader coming back to this tab sees what another tab kept, even if the storage
      // event was lost (a tab frozen in the background gets none).
      document.addEventListener("visibilitychange", () => !document.hidden && progressKept() && loadProgress());
    }
  }

  /* ---------- copy buttons on code blocks ---------- */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise((resolve, reject) => {
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      const ok = document.execCommand("copy");
      area.remove();
      if (ok) resolve();
      else reject(new Error("copy refused"));
    });
  }
  for (const pre of document.querySelectorAll("pre.code")) {
    if (pre.parentElement && pre.parentElement.classList.contains("code-wrap")) continue;
    const wrap = document.createElement("div");
    wrap.className = "code-wrap";
    pre.parentNode.insertBefore(wrap, pre);
    wrap.appendChild(pre);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = t("copy");
    button.setAttribute("aria-label", t("copy_code"));
    wrap.appendChild(button);
    if (pre.querySelector(".boring")) {
      // mdBook's hidden lines of a Rust listing: hidden until the reader asks for them.
      const toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "copy-button boring-toggle";
      toggle.textContent = t("show_hidden_lines");
      toggle.setAttribute("aria-pressed", "false");
      toggle.addEventListener("click", () => {
        const shown = wrap.classList.toggle("show-boring");
        toggle.setAttribute("aria-pressed", String(shown));
        toggle.textContent = shown ? t("hide_hidden_lines") : t("show_hidden_lines");
      });
      wrap.appendChild(toggle);
    }
    let timer = 0;
    button.addEventListener("click", () => {
      const code = pre.querySelector("code") || pre;
      const show = (label) => {
        button.textContent = label;
        clearTimeout(timer);
        timer = setTimeout(() => (button.textContent = t("copy")), 1600);
      };
      copyText(code.innerText.replace(/\n$/, "")).then(
        () => show(t("copied")),
        () => {
          // No clipboard access (old browser, odd origin): select the code so the reader can copy it.
          const range = document.createRange();
          range.selectNodeContents(code);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          show(t("press_ctrl_c"));
        },
      );
    });
  }

  /* ---------- search: loaded the first time the reader asks for it ---------- */
  // search.js (the engine and its dialog) and search.css weigh more than the rest of the
  // theme; most visits never search. The button names them (`data-script`, `data-style`) and
  // they load, with script and link tags so file:// works, when the reader points at or
  // focuses the button, clicks it, presses / or Ctrl+K, or lands from a result (`?q=`,
  // whose words search.js marks). Once loaded, search.js owns the dialog (`ui`).
  const searchButton = document.getElementById("search-open");
  let searchLoading = null;
  function loadSearch() {
    if (searchLoading) return searchLoading;
    // The dialog shows once its style sheet is in too (a missing one only costs looks).
    const styled = new Promise((resolve) => {
      const style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = searchButton.dataset.style;
      style.onload = style.onerror = resolve;
      document.head.appendChild(style);
    });
    const started = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = searchButton.dataset.script;
      script.onload = () => (window.__labbookSearch && window.__labbookSearch.ui ? resolve(window.__labbookSearch.ui) : reject(new Error("search.js did not start")));
      script.onerror = () => reject(new Error("cannot load search.js"));
      document.head.appendChild(script);
    });
    searchLoading = Promise.all([started, styled]).then(([ui]) => ui);
    return searchLoading;
  }
  function search(action) {
    loadSearch().then(
      (ui) => ui[action](),
      () => (searchButton.hidden = true),
    );
  }
  const typing = (target) =>
    target && (target.isContentEditable || (target.closest && target.closest("input, textarea, select, [contenteditable]")));
  if (searchButton && searchButton.dataset.script) {
    searchButton.addEventListener("click", () => search("open"));
    for (const event of ["pointerenter", "focus", "touchstart"]) {
      searchButton.addEventListener(event, () => loadSearch().catch(() => {}), { once: true, passive: true });
    }
    document.addEventListener("keydown", (event) => {
      const k = event.key;
      if ((k === "k" || k === "K") && (event.ctrlKey || event.metaKey) && !event.altKey) {
        event.preventDefault();
        search("toggle");
      } else if (k === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target)) {
        event.preventDefault();
        search("open");
      }
    });
    if (/[?&]q=/.test(window.location.search)) loadSearch().catch(() => {});
  }

  /* ---------- scrolling regions reachable by keyboard ---------- */
  // A code block or table wider than the column scrolls; a keyboard user can only scroll it
  // once it can take focus. Blocks that fit stay out of the Tab order.
  function markScrollable() {
    for (const el of document.querySelectorAll("pre, .table-wrap, .api-signature")) {
      const scrolls = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.tabIndex = 0;
        el.dataset.scrollFocus = "";
      } else if (!scrolls && "scrollFocus" in el.dataset) {
        el.removeAttribute("tabindex");
        delete el.dataset.scrollFocus;
      }
    }
  }
  markScrollable();
  let scrollTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(scrollTimer);
    scrollTimer = setTimeout(markScrollable, 150);
  });
})();
