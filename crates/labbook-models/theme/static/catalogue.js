// A catalogue page (models, datasets): facet filters (AND across facets, OR within one) with
// live counts, a text filter and sorting, all kept in the URL hash (#task=a,b&q=iris&sort=name)
// so a filtered view can be bookmarked; the entries are inline in the page (#catalogue-data),
// so it works from file://. The feature's own script calls
//
//   window.labbook.catalogue({ facets, sorts, text, count })
//
// with its facets ({name: entry => values}), sorts ({name: compare}, `name` first), the text
// an entry is searched by (entry => string) and the count line ((shown, total) => string).
// Without JavaScript the page lists every entry.
(function () {
  "use strict";

  /** Reads `#task=a,b&q=x&sort=name` into a state object. */
  function parseHash(hash, facets) {
    const state = { q: "", sort: "name", facets: {} };
    for (const facet of Object.keys(facets)) state.facets[facet] = new Set();
    for (const part of hash.replace(/^#/, "").split("&")) {
      const eq = part.indexOf("=");
      if (eq < 0) continue;
      const key = decodeURIComponent(part.slice(0, eq));
      const value = decodeURIComponent(part.slice(eq + 1).replace(/\+/g, " "));
      if (key === "q") state.q = value;
      else if (key === "sort") state.sort = value;
      else if (key in facets) for (const v of value.split(",")) if (v) state.facets[key].add(v);
    }
    return state;
  }

  /** The hash of a state, without empty parts (so the unfiltered catalogue has none). */
  function formatHash(state, facets) {
    const parts = [];
    for (const facet of Object.keys(facets)) {
      const values = [...state.facets[facet]].sort();
      if (values.length) parts.push(`${facet}=${values.map(encodeURIComponent).join(",")}`);
    }
    if (state.q) parts.push(`q=${encodeURIComponent(state.q)}`);
    if (state.sort !== "name") parts.push(`sort=${encodeURIComponent(state.sort)}`);
    return parts.length ? `#${parts.join("&")}` : "";
  }

  function catalogue({ facets, sorts, text, count: countLine }) {
    const dataNode = document.getElementById("catalogue-data");
    if (!dataNode) return;
    const entries = JSON.parse(dataNode.textContent);
    const form = document.querySelector(".catalogue-filters");
    const toolbar = document.querySelector(".catalogue-toolbar");
    const list = document.querySelector(".catalogue-list");
    const empty = document.querySelector(".catalogue-empty");
    const count = document.querySelector(".catalogue-count");
    const search = form.querySelector('input[name="q"]');
    const sort = toolbar.querySelector('select[name="sort"]');
    const items = new Map([...list.querySelectorAll(".catalogue-item")].map((li) => [li.dataset.id, li]));
    form.hidden = false;
    toolbar.hidden = false;
    let state = parseHash(location.hash, facets);
    /** Whether `entry` passes every facet except `skip`. */
    const passes = (entry, skip) =>
      Object.keys(facets).every((f) => f === skip || !state.facets[f].size || facets[f](entry).some((v) => state.facets[f].has(v)));

    function render() {
      search.value = state.q;
      if (!sorts[state.sort]) state.sort = "name";
      sort.value = state.sort;
      const words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
      const textOk = entries.filter((e) => {
        const hay = text(e).toLowerCase();
        return words.every((w) => hay.includes(w));
      });
      // Counts: how many entries each value would show, given the text and the other facets.
      for (const box of form.querySelectorAll('input[type="checkbox"]')) {
        box.checked = state.facets[box.name].has(box.value);
        const n = textOk.filter((e) => passes(e, box.name) && facets[box.name](e).includes(box.value)).length;
        const label = box.closest("label");
        label.querySelector(".facet-count").textContent = window.labbook.number ? window.labbook.number(n) : String(n);
        label.classList.toggle("empty", n === 0 && !box.checked);
      }
      const shown = textOk.filter((e) => passes(e, null)).sort(sorts[state.sort]);
      const visible = new Set(shown.map((e) => e.id));
      for (const [id, li] of items) li.hidden = !visible.has(id);
      for (const e of shown) list.appendChild(items.get(e.id));
      empty.hidden = shown.length > 0;
      count.textContent = countLine(shown.length, entries.length);
    }

    function commit() {
      const hash = formatHash(state, facets);
      if (hash !== location.hash) history.replaceState(null, "", hash || location.pathname + location.search);
      render();
    }

    form.addEventListener("change", (event) => {
      const box = event.target;
      if (box.type !== "checkbox") return;
      if (box.checked) state.facets[box.name].add(box.value);
      else state.facets[box.name].delete(box.value);
      commit();
    });
    form.addEventListener("submit", (event) => event.preventDefault());
    search.addEventListener("input", () => {
      state.q = search.value.trim();
      commit();
    });
    sort.addEventListener("change", () => {
      state.sort = sort.value;
      commit();
    });
    form.querySelector(".catalogue-clear").addEventListener("click", () => {
      state = parseHash("", facets);
      commit();
    });
    window.addEventListener("hashchange", () => {
      state = parseHash(location.hash, facets);
      render();
    });
    render();
  }

  (window.labbook = window.labbook || {}).catalogue = catalogue;
})();
