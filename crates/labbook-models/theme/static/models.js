// Model pages and the model catalogue.
//
// Catalogue: catalogue.js's facet and text filters and sorting, with the models' facets.
// Model pages: the "Try it" widget runs the card's inference program in the exercise
// runtime through window.labbook.run (contract 5) and shows the label scores or the text;
// a drawn digit is reduced to the 8×8 inputs of the data set the model learned from.
// Without JavaScript both pages keep their static content.
(function () {
  "use strict";

  // The theme's words in the page's language (ui.js); the key itself on a page without it.
  const t = (key, vars) => (window.labbook && window.labbook.t ? window.labbook.t(key, vars) : key);

  /** The catalogue (catalogue.js draws it): the models' facets, sorts, text and count line. */
  function initCatalogue() {
    if (!window.labbook || !window.labbook.catalogue) return;
    window.labbook.catalogue({
      facets: {
        task: (m) => (m.task ? [m.task] : []),
        library: (m) => (m.library ? [m.library] : []),
        language: (m) => m.languages,
        license: (m) => (m.license ? [m.license] : []),
        dataset: (m) => m.datasets,
      },
      sorts: {
        name: (a, b) => a.title.localeCompare(b.title),
        "params-asc": (a, b) => a.parameters - b.parameters || a.title.localeCompare(b.title),
        "params-desc": (a, b) => b.parameters - a.parameters || a.title.localeCompare(b.title),
        task: (a, b) => (a.task || "").localeCompare(b.task || "") || a.title.localeCompare(b.title),
      },
      text: (m) => [m.id, m.title, m.summary, m.task || "", m.library || "", ...m.languages, ...m.datasets].join(" "),
      count: (shown, total) => (shown === total ? t("model_count", { count: total }) : t("model_count_shown", { shown, count: total })),
    });
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

  /** Draws one stroke (a list of points) with round ends; a single point becomes a dot. */
  function traceStroke(ctx, line, fx, fy, width) {
    if (!line.length) return;
    ctx.beginPath();
    if (line.length === 1) {
      ctx.arc(fx(line[0][0]), fy(line[0][1]), width / 2, 0, 2 * Math.PI);
      ctx.fill();
      return;
    }
    ctx.moveTo(fx(line[0][0]), fy(line[0][1]));
    for (const [x, y] of line.slice(1)) ctx.lineTo(fx(x), fy(y));
    ctx.stroke();
  }

  /**
   * Pen width, in pixels of the 32×32 bitmap, when strokes are redrawn for the model: the
   * scanned strokes of the data set are thick (a 0's sides are about 4.5 px wide each, a 1 about
   * 10 px across), and a pen much thinner than that reads as a different, fainter digit.
   */
  const DIGIT_PEN = 5;

  /**
   * Strokes (lists of [x, y] points, any scale) reduced to the 64 inputs of the UCI "optdigits"
   * set that the model learned from: the digit is centred and scaled, keeping its shape, until
   * its taller side fills a 32×32 bitmap (as in the NIST preprocessing those bitmaps come from);
   * it is redrawn there with a pen of fixed width, so how thick the reader's brush looked does
   * not matter; then the "on" pixels of each 4×4 block are counted, giving 8×8 values 0–16.
   */
  function digitPixels(strokes) {
    const points = strokes.flat();
    const out = new Array(64).fill(0);
    if (!points.length) return out;
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const inner = 32 - DIGIT_PEN; // the pen's centre line stays half a pen inside the bitmap
    const extent = Math.max(x1 - x0, y1 - y0);
    const scale = extent > 0 ? inner / extent : 1;
    const dx = 16 - ((x0 + x1) / 2) * scale;
    const dy = 16 - ((y0 + y1) / 2) * scale;
    const bitmap = document.createElement("canvas");
    bitmap.width = bitmap.height = 32;
    const ctx = bitmap.getContext("2d");
    ctx.strokeStyle = ctx.fillStyle = "#000";
    ctx.lineWidth = DIGIT_PEN;
    ctx.lineCap = ctx.lineJoin = "round";
    for (const line of strokes) traceStroke(ctx, line, (x) => x * scale + dx, (y) => y * scale + dy, DIGIT_PEN);
    const alpha = ctx.getImageData(0, 0, 32, 32).data;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        if (alpha[(y * 32 + x) * 4 + 3] >= 128) out[(y >> 2) * 8 + (x >> 2)] += 1;
      }
    }
    return out;
  }

  function initWidget(section) {
    const data = JSON.parse(section.querySelector(".model-widget-data").textContent);
    const live = section.querySelector(".model-widget-live");
    const status = el("p", { class: "model-live-status", role: "status" });
    const output = el("div", { class: "model-live-output", "aria-live": "polite" });
    const inputs = el("div", { class: "model-live-inputs" });
    const examples = el("div", { class: "model-live-examples" });
    const run = el("button", { type: "button", class: "button model-run", text: data.kind === "text" ? t("model_sample") : t("model_run") });
    live.append(el("p", { class: "model-live-label", text: t("model_your_input") }), examples, inputs, run, status, output);
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
      data.examples.forEach((ex, i) => examples.append(el("button", { type: "button", text: ex.example_title || t("model_example", { n: i + 1 }) })));
      examples.addEventListener("click", (e) => {
        const i = [...examples.children].indexOf(e.target);
        if (i >= 0) { fill(data.examples[i]); go(); }
      });
      if (data.examples[0]) fill(data.examples[0]);
      prelude = () => {
        const values = fields.map((f) => Number(f.value));
        const bad = fields.find((f) => f.value.trim() === "" || !Number.isFinite(Number(f.value)));
        if (bad) throw new Error(t("model_needs_number", { name: bad.name }));
        return `${pyLabels(data.labels)}INPUT = ${pyList(values)}\n`;
      };
    } else if (data.kind === "image") {
      // The reader draws strokes on a large canvas; the model gets them reduced to 8×8 the way
      // the UCI digits were made (see `digitPixels`), shown beside the drawing.
      let pixels = new Array(64).fill(0);
      let strokes = []; // [[x, y], ...] in canvas pixels; empty while an example is shown
      const SIZE = 256;
      const canvas = el("canvas", { class: "model-canvas", width: String(SIZE), height: String(SIZE), role: "img", "aria-label": t("model_canvas") });
      const preview = el("canvas", { class: "model-canvas-preview", width: "8", height: "8", role: "img", "aria-label": t("model_canvas_preview") });
      const ctx = canvas.getContext("2d");
      const small = preview.getContext("2d");
      const paintPreview = () => {
        const image = small.createImageData(8, 8);
        pixels.forEach((p, i) => {
          const v = 255 - Math.round((p / 16) * 255);
          image.data.set([v, v, v, 255], i * 4);
        });
        small.putImageData(image, 0, 0);
      };
      const paint = () => {
        ctx.fillStyle = "#fff";
        ctx.fillRect(0, 0, SIZE, SIZE);
        if (strokes.length) {
          ctx.strokeStyle = ctx.fillStyle = "#111";
          ctx.lineWidth = SIZE / 14;
          ctx.lineCap = ctx.lineJoin = "round";
          for (const line of strokes) traceStroke(ctx, line, (x) => x, (y) => y, ctx.lineWidth);
        } else {
          // An example: its 8×8 pixels, as large blocks.
          const cell = SIZE / 8;
          pixels.forEach((p, i) => {
            const v = 255 - Math.round((p / 16) * 255);
            ctx.fillStyle = `rgb(${v},${v},${v})`;
            ctx.fillRect((i % 8) * cell, Math.floor(i / 8) * cell, cell, cell);
          });
        }
        paintPreview();
      };
      let drawing = false;
      const point = (event) => {
        const box = canvas.getBoundingClientRect();
        return [((event.clientX - box.left) / box.width) * SIZE, ((event.clientY - box.top) / box.height) * SIZE];
      };
      canvas.addEventListener("pointerdown", (e) => {
        drawing = true;
        canvas.setPointerCapture(e.pointerId);
        strokes.push([point(e)]);
        paint();
      });
      canvas.addEventListener("pointermove", (e) => {
        if (!drawing) return;
        strokes[strokes.length - 1].push(point(e));
        paint();
      });
      const lift = () => {
        if (!drawing) return;
        drawing = false;
        pixels = digitPixels(strokes);
        paint();
        go();
      };
      canvas.addEventListener("pointerup", lift);
      canvas.addEventListener("pointercancel", lift);
      const clear = el("button", { type: "button", class: "secondary", text: t("model_clear") });
      clear.addEventListener("click", () => { strokes = []; pixels = new Array(64).fill(0); paint(); output.replaceChildren(); });
      inputs.append(
        canvas,
        el("figure", { class: "model-canvas-seen" }, preview, el("figcaption", { text: t("model_sees") })),
        clear,
      );
      const showExample = (ex) => {
        strokes = [];
        pixels = ex.pixels.slice(0, 64);
        paint();
      };
      data.examples.forEach((ex, i) => examples.append(el("button", { type: "button", text: ex.example_title || t("model_example", { n: i + 1 }) })));
      examples.addEventListener("click", (e) => {
        const i = [...examples.children].indexOf(e.target);
        if (i >= 0) { showExample(data.examples[i]); go(); }
      });
      if (data.examples[0] && data.examples[0].pixels) showExample(data.examples[0]);
      else paint();
      prelude = () => `${pyLabels(data.labels)}PIXELS = ${pyList(pixels)}\n`;
    } else {
      const prefix = el("input", { type: "text", name: "prefix", maxlength: String(data.max_len - 1), autocomplete: "off", spellcheck: "false", "aria-label": t("model_prefix") });
      inputs.append(el("label", {}, t("model_prefix_label"), prefix));
      data.examples.forEach((ex, i) => examples.append(el("button", { type: "button", text: ex.example_title || t("model_example", { n: i + 1 }) })));
      examples.addEventListener("click", (e) => {
        const i = [...examples.children].indexOf(e.target);
        if (i >= 0) { prefix.value = data.examples[i].text || ""; seed = data.examples[i].seed || 0; go(false); }
      });
      if (data.examples[0]) { prefix.value = data.examples[0].text || ""; seed = data.examples[0].seed || 0; }
      prelude = () => {
        const text = prefix.value.trim().toLowerCase();
        if (!/^[a-z]*$/.test(text)) throw new Error(t("model_letters_only"));
        return `PREFIX = ${JSON.stringify(text)}\nSEED = ${seed}\nCOUNT = ${data.samples}\nMAX_LEN = ${data.max_len}\n`;
      };
    }

    let busy = false;
    let again = false; // input changed while a run was going: run once more when it ends
    const setBusy = (on) => {
      busy = on;
      section.classList.toggle("model-busy", busy || again);
    };
    async function go(advance = true) {
      if (busy) {
        again = true;
        section.classList.add("model-busy");
        return;
      }
      status.classList.remove("error");
      if (!data.runtime) {
        status.textContent = t("model_no_runtime_short");
        status.classList.add("error");
        return;
      }
      if (!window.labbook || typeof window.labbook.run !== "function") {
        status.textContent = t("model_runtime_missing");
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
      setBusy(true);
      run.disabled = true;
      status.textContent = t("model_running");
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
        if (result.stopped) throw new Error(t("model_stopped", { reason: window.labbook.stopText ? window.labbook.stopText(result) : result.stopped }));
        if (result.error) throw new Error(`${result.error.type}: ${result.error.message}`);
        if (data.kind === "text") {
          output.replaceChildren(el("pre", { class: "model-generated", text: result.stdout.trimEnd() }));
          if (advance !== false) seed += 1;
        } else {
          showScores(output, parseScores(result.stdout));
        }
        status.textContent = t("model_ran_in", { ms: Math.round(performance.now() - started) });
        section.dataset.runs = String(Number(section.dataset.runs || 0) + 1);
      } catch (e) {
        status.textContent = e.message || String(e);
        status.classList.add("error");
      } finally {
        setBusy(false);
        run.disabled = false;
        if (again) {
          again = false;
          go(false);
        }
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
