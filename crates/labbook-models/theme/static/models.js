// Model pages and the model catalogue.
//
// Catalogue: facet filters (AND across facets, OR within one) with live counts, a text
// filter and sorting, all kept in the URL hash (#task=a,b&q=iris&sort=name) so a filtered
// view can be bookmarked; the data is inline in the page, so it works from file://.
// Model pages: the "Try it" widget runs the card's inference program in the exercise
// runtime through window.labbook.run (contract 5) and shows the label scores or the text.
// Without JavaScript both pages keep their static content.
(function () {
  "use strict";

  const FACETS = ["task", "library", "language", "license", "dataset"];

  /** The facet values of one catalogue entry. */
  function valuesOf(model, facet) {
    switch (facet) {
      case "task": return model.task ? [model.task] : [];
      case "library": return model.library ? [model.library] : [];
      case "language": return model.languages;
      case "license": return model.license ? [model.license] : [];
      case "dataset": return model.datasets;
    }
    return [];
  }

  /** Reads `#task=a,b&q=x&sort=name` into a state object. */
  function parseHash(hash) {
    const state = { q: "", sort: "name", facets: {} };
    for (const facet of FACETS) state.facets[facet] = new Set();
    const text = hash.replace(/^#/, "");
    if (!text) return state;
    for (const part of text.split("&")) {
      const eq = part.indexOf("=");
      if (eq < 0) continue;
      const key = decodeURIComponent(part.slice(0, eq));
      const value = decodeURIComponent(part.slice(eq + 1).replace(/\+/g, " "));
      if (key === "q") state.q = value;
      else if (key === "sort") state.sort = value;
      else if (FACETS.includes(key)) for (const v of value.split(",")) if (v) state.facets[key].add(v);
    }
    return state;
  }

  /** The hash of a state, without empty parts (so the unfiltered catalogue has none). */
  function formatHash(state) {
    const parts = [];
    for (const facet of FACETS) {
      const values = [...state.facets[facet]].sort();
      if (values.length) parts.push(`${facet}=${values.map(encodeURIComponent).join(",")}`);
    }
    if (state.q) parts.push(`q=${encodeURIComponent(state.q)}`);
    if (state.sort && state.sort !== "name") parts.push(`sort=${encodeURIComponent(state.sort)}`);
    return parts.length ? `#${parts.join("&")}` : "";
  }

  function matchesText(model, q) {
    if (!q) return true;
    const hay = [model.id, model.title, model.summary, model.task || "", model.library || "", ...model.languages, ...model.datasets]
      .join(" ")
      .toLowerCase();
    return q.toLowerCase().split(/\s+/).filter(Boolean).every((word) => hay.includes(word));
  }

  /** Whether `model` passes every facet except `skip` (OR within a facet, AND across). */
  function matchesFacets(model, facets, skip) {
    for (const facet of FACETS) {
      if (facet === skip || facets[facet].size === 0) continue;
      if (!valuesOf(model, facet).some((v) => facets[facet].has(v))) return false;
    }
    return true;
  }

  const SORTS = {
    name: (a, b) => a.title.localeCompare(b.title),
    "params-asc": (a, b) => a.parameters - b.parameters || a.title.localeCompare(b.title),
    "params-desc": (a, b) => b.parameters - a.parameters || a.title.localeCompare(b.title),
    task: (a, b) => (a.task || "").localeCompare(b.task || "") || a.title.localeCompare(b.title),
  };

  function initCatalogue() {
    const dataNode = document.getElementById("catalogue-data");
    if (!dataNode) return;
    const models = JSON.parse(dataNode.textContent);
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
    let state = parseHash(location.hash);

    function render() {
      search.value = state.q;
      if (!SORTS[state.sort]) state.sort = "name";
      sort.value = state.sort;
      const textOk = models.filter((m) => matchesText(m, state.q));
      // Counts: how many models each value would show, given the text and the other facets.
      for (const box of form.querySelectorAll('input[type="checkbox"]')) {
        const facet = box.name;
        box.checked = state.facets[facet].has(box.value);
        const n = textOk.filter((m) => matchesFacets(m, state.facets, facet) && valuesOf(m, facet).includes(box.value)).length;
        const label = box.closest("label");
        label.querySelector(".facet-count").textContent = String(n);
        label.classList.toggle("empty", n === 0 && !box.checked);
      }
      const shown = textOk.filter((m) => matchesFacets(m, state.facets, null)).sort(SORTS[state.sort]);
      const visible = new Set(shown.map((m) => m.id));
      for (const [id, li] of items) li.hidden = !visible.has(id);
      for (const m of shown) list.appendChild(items.get(m.id));
      empty.hidden = shown.length > 0;
      count.textContent = shown.length === models.length ? `${models.length} models` : `${shown.length} of ${models.length} models`;
    }

    function commit() {
      const hash = formatHash(state);
      if (hash !== location.hash && !(hash === "" && location.hash === "")) {
        history.replaceState(null, "", hash || location.pathname + location.search);
      }
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
      state = parseHash("");
      commit();
    });
    window.addEventListener("hashchange", () => {
      state = parseHash(location.hash);
      render();
    });
    render();
  }

  // ------------------------------------------------------------------ "Try it"

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  /** A Python literal for a list of numbers (JSON numbers are valid Python). */
  function pyList(values) {
    return `[${values.map((v) => JSON.stringify(Number(v))).join(", ")}]`;
  }

  function pyLabels(labels) {
    return `LABELS = [${labels.map((l) => JSON.stringify(l)).join(", ")}]\n`;
  }

  /** Label scores from `label probability` lines, best first. */
  function parseScores(stdout) {
    const scores = [];
    for (const line of stdout.split("\n")) {
      const cut = line.lastIndexOf(" ");
      if (cut < 0) continue;
      const value = Number(line.slice(cut + 1));
      if (Number.isFinite(value)) scores.push([line.slice(0, cut), value]);
    }
    return scores.sort((a, b) => b[1] - a[1]);
  }

  function showScores(target, scores) {
    const rows = scores.map(([label, p]) =>
      el("tr", {}, el("th", { scope: "row", text: label }),
        el("td", {}, el("span", { class: "model-bar", style: `width:${(p * 100).toFixed(1)}%` })),
        el("td", { text: p.toFixed(4) })));
    target.replaceChildren(el("table", { class: "model-scores" }, el("tbody", {}, ...rows)));
  }

  function initWidget(section) {
    const data = JSON.parse(section.querySelector(".model-widget-data").textContent);
    const live = section.querySelector(".model-widget-live");
    const status = el("p", { class: "model-live-status", role: "status" });
    const output = el("div", { class: "model-live-output", "aria-live": "polite" });
    const inputs = el("div", { class: "model-live-inputs" });
    const examples = el("div", { class: "model-live-examples" });
    const run = el("button", { type: "button", class: "button model-run", text: data.kind === "text" ? "Sample" : "Run" });
    live.append(el("p", { class: "model-live-label", text: "Your input" }), examples, inputs, run, status, output);
    live.hidden = false;
    section.querySelector(".model-widget-static").hidden = true;

    let prelude;
    let seed = 42;
    if (data.kind === "tabular") {
      const fields = data.features.map((name) => {
        const input = el("input", { type: "number", step: "any", name, "aria-label": name });
        inputs.append(el("label", {}, name, input));
        return input;
      });
      const fill = (ex) => fields.forEach((f) => { f.value = (ex.structured_data[f.name] || [""])[0]; });
      data.examples.forEach((ex, i) => examples.append(el("button", { type: "button", text: ex.example_title || `Example ${i + 1}` })));
      examples.addEventListener("click", (e) => {
        const i = [...examples.children].indexOf(e.target);
        if (i >= 0) { fill(data.examples[i]); go(); }
      });
      if (data.examples[0]) fill(data.examples[0]);
      prelude = () => {
        const values = fields.map((f) => Number(f.value));
        const bad = fields.find((f) => f.value.trim() === "" || !Number.isFinite(Number(f.value)));
        if (bad) throw new Error(`${bad.name} needs a number`);
        return `${pyLabels(data.labels)}INPUT = ${pyList(values)}\n`;
      };
    } else if (data.kind === "image") {
      const pixels = new Array(64).fill(0);
      const canvas = el("canvas", { class: "model-canvas", width: "8", height: "8", "aria-label": "Draw a digit: 8 by 8 pixels" });
      const ctx = canvas.getContext("2d");
      const paint = () => {
        const image = ctx.createImageData(8, 8);
        pixels.forEach((p, i) => {
          const v = 255 - Math.round((p / 16) * 255);
          image.data.set([v, v, v, 255], i * 4);
        });
        ctx.putImageData(image, 0, 0);
      };
      let drawing = false;
      const stroke = (event) => {
        const box = canvas.getBoundingClientRect();
        const x = Math.floor(((event.clientX - box.left) / box.width) * 8);
        const y = Math.floor(((event.clientY - box.top) / box.height) * 8);
        if (x < 0 || y < 0 || x > 7 || y > 7) return;
        // A soft brush: full ink in the cell, some on its neighbours, like the scanned digits.
        pixels[y * 8 + x] = 16;
        for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
          const nx = x + dx, ny = y + dy;
          if (nx >= 0 && ny >= 0 && nx < 8 && ny < 8) pixels[ny * 8 + nx] = Math.min(16, pixels[ny * 8 + nx] + 4);
        }
        paint();
      };
      canvas.addEventListener("pointerdown", (e) => { drawing = true; canvas.setPointerCapture(e.pointerId); stroke(e); });
      canvas.addEventListener("pointermove", (e) => { if (drawing) stroke(e); });
      canvas.addEventListener("pointerup", () => { drawing = false; go(); });
      const clear = el("button", { type: "button", class: "secondary", text: "Clear" });
      clear.addEventListener("click", () => { pixels.fill(0); paint(); output.replaceChildren(); });
      inputs.append(canvas, clear);
      data.examples.forEach((ex, i) => examples.append(el("button", { type: "button", text: ex.example_title || `Example ${i + 1}` })));
      examples.addEventListener("click", (e) => {
        const i = [...examples.children].indexOf(e.target);
        if (i >= 0) { data.examples[i].pixels.forEach((p, k) => { pixels[k] = p; }); paint(); go(); }
      });
      if (data.examples[0] && data.examples[0].pixels) data.examples[0].pixels.forEach((p, k) => { pixels[k] = p; });
      paint();
      prelude = () => `${pyLabels(data.labels)}PIXELS = ${pyList(pixels)}\n`;
    } else {
      const prefix = el("input", { type: "text", name: "prefix", maxlength: String(data.max_len - 1), autocomplete: "off", spellcheck: "false", "aria-label": "Start of the name" });
      inputs.append(el("label", {}, "Start of the name (a–z)", prefix));
      data.examples.forEach((ex, i) => examples.append(el("button", { type: "button", text: ex.example_title || `Example ${i + 1}` })));
      examples.addEventListener("click", (e) => {
        const i = [...examples.children].indexOf(e.target);
        if (i >= 0) { prefix.value = data.examples[i].text || ""; seed = data.examples[i].seed || 0; go(false); }
      });
      if (data.examples[0]) { prefix.value = data.examples[0].text || ""; seed = data.examples[0].seed || 0; }
      prelude = () => {
        const text = prefix.value.trim().toLowerCase();
        if (!/^[a-z]*$/.test(text)) throw new Error("The model knows only the letters a to z");
        return `PREFIX = ${JSON.stringify(text)}\nSEED = ${seed}\nCOUNT = ${data.samples}\nMAX_LEN = ${data.max_len}\n`;
      };
    }

    let busy = false;
    async function go(advance = true) {
      if (busy) return;
      status.classList.remove("error");
      if (!data.runtime) {
        status.textContent = "This site was built without the in-browser Python runtime.";
        status.classList.add("error");
        return;
      }
      if (!window.labbook || typeof window.labbook.run !== "function") {
        status.textContent = "The exercise runtime script is missing from this page.";
        status.classList.add("error");
        return;
      }
      let code;
      try {
        code = prelude() + data.program;
      } catch (e) {
        status.textContent = e.message;
        status.classList.add("error");
        return;
      }
      busy = true;
      run.disabled = true;
      status.textContent = "Running…";
      const started = performance.now();
      try {
        const result = await window.labbook.run({
          runtime: "python",
          src: data.runtime,
          request: {
            files: { "main.py": code, "model.safetensors": { base64: data.weights } },
            entry: "main.py",
            checks: [],
            seed,
            max_output: 65536,
          },
          limits: { time_ms: 10000, output_bytes: 65536 },
        });
        if (result.stopped) throw new Error(`Stopped: ${result.stopped}`);
        if (result.error) throw new Error(`${result.error.type}: ${result.error.message}`);
        if (data.kind === "text") {
          output.replaceChildren(el("pre", { class: "model-generated", text: result.stdout.trimEnd() }));
          if (advance !== false) seed += 1;
        } else {
          showScores(output, parseScores(result.stdout));
        }
        status.textContent = `Ran in your browser in ${Math.round(performance.now() - started)} ms.`;
        section.dataset.runs = String(Number(section.dataset.runs || 0) + 1);
      } catch (e) {
        status.textContent = e.message || String(e);
        status.classList.add("error");
      } finally {
        busy = false;
        run.disabled = false;
      }
    }
    run.addEventListener("click", () => go());
  }

  function init() {
    initCatalogue();
    document.querySelectorAll(".model-widget").forEach(initWidget);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
