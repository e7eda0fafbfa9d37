  /* =====================================================================================
   * Loading a runtime (main thread): its script, gunzipped and compiled once per page.
   * ===================================================================================== */
  let workerUrl = null;
  function workerSource() {
    if (!workerUrl) {
      const blob = new Blob([`(${workerMain.toString()})();`], { type: "text/javascript" });
      workerUrl = URL.createObjectURL(blob);
    }
    return workerUrl;
  }

  const scripts = new Map(); // absolute URL -> Promise
  function loadScript(url, what = "the runtime") {
    if (!scripts.has(url)) {
      scripts.set(
        url,
        new Promise((resolve, reject) => {
          const script = document.createElement("script");
          script.src = url;
          script.async = true;
          script.onload = resolve;
          script.onerror = () => {
            scripts.delete(url);
            reject(new Error(`cannot load ${what} ${url}`));
          };
          (document.head || document.documentElement).appendChild(script);
        }),
      );
    }
    return scripts.get(url);
  }

  /**
   * `files` (a request's, name -> content) with each dataset split that a page names rather
   * than carries (`{script, key}`: labbook_exercises::data) replaced by its text: the script
   * registers it in `window.__labbookRuntimeData` under `key`. Loaded with a script tag,
   * which works from file://, once per page, the first time code that needs it runs.
   */
  api.dataFiles = async function dataFiles(files) {
    const out = { ...(files || {}) };
    const named = Object.entries(out).filter(([, content]) => content && typeof content === "object" && content.script);
    await Promise.all(
      named.map(async ([name, { script, key }]) => {
        await loadScript(new URL(script, document.baseURI).href, "the data file");
        const text = (window.__labbookRuntimeData || {})[key];
        if (typeof text !== "string") throw new Error(`the data file ${script} does not hold ${key}`);
        out[name] = text;
      }),
    );
    return out;
  };

  function decodeBase64(text) {
    if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  /**
   * The module with its own memory given a maximum of `maxBytes`, so growing past the memory limit
   * fails inside the guest (as wasmtime's StoreLimits make it fail) instead of taking the tab's
   * memory. Modules whose memory is imported, shared or 64-bit are returned unchanged.
   */
  function capMemory(bytes, maxBytes) {
    const pages = Math.max(1, Math.floor(maxBytes / 65536));
    let p = 8;
    const readU = () => {
      let value = 0;
      let scale = 1;
      let byte;
      do {
        byte = bytes[p++];
        value += (byte & 0x7f) * scale;
        scale *= 128;
      } while (byte & 0x80);
      return value;
    };
    const uleb = (n) => {
      const out = [];
      do {
        let byte = n % 128;
        n = Math.floor(n / 128);
        if (n) byte |= 0x80;
        out.push(byte);
      } while (n);
      return out;
    };
    while (p < bytes.length) {
      const start = p;
      const id = bytes[p++];
      const size = readU();
      const end = p + size;
      if (id === 5) {
        if (readU() !== 1) return bytes;
        const flags = bytes[p++];
        if (flags > 1) return bytes;
        const min = readU();
        const max = flags ? readU() : Infinity;
        if (p !== end) return bytes;
        const payload = [...uleb(1), 0x01, ...uleb(min), ...uleb(Math.min(max, Math.max(min, pages)))];
        const head = [5, ...uleb(payload.length), ...payload];
        const out = new Uint8Array(start + head.length + (bytes.length - end));
        out.set(bytes.subarray(0, start), 0);
        out.set(head, start);
        out.set(bytes.subarray(end), start + head.length);
        return out;
      }
      p = end;
    }
    return bytes;
  }

  const modules = new Map(); // runtime, absolute URL and memory cap -> Promise<WebAssembly.Module>
  const wasmBytes = new Map(); // runtime and absolute URL -> Promise<Uint8Array>, while modules are still compiled from it
  /**
   * Loads, decompresses and compiles the runtime `name` from the script `src` (relative to the page),
   * once per page and memory limit (`memoryBytes`, 0 for none). Resolves to the WebAssembly.Module.
   */
  api.loadRuntime = function loadRuntime(name, src, memoryBytes = 0) {
    const url = new URL(src, document.baseURI).href;
    const key = `${name} ${url} ${memoryBytes}`;
    if (modules.has(key)) return modules.get(key);
    const promise = (async () => {
      let bytes = await decodeRuntime(name, src, url);
      if (memoryBytes) bytes = capMemory(bytes, memoryBytes);
      performance.mark("labbook:runtime-decoded");
      const module = await WebAssembly.compile(bytes);
      performance.mark("labbook:runtime-compiled");
      performance.measure("labbook:runtime-compile", "labbook:runtime-decoded", "labbook:runtime-compiled");
      return module;
    })();
    promise.catch(() => modules.delete(key));
    modules.set(key, promise);
    return promise;
  };

  /** The runtime's wasm bytes, from its script, once per page. */
  function decodeRuntime(name, src, url) {
    const key = `${name} ${url}`;
    if (wasmBytes.has(key)) return wasmBytes.get(key);
    const promise = (async () => {
      performance.mark("labbook:runtime-start");
      const registry = () => (self.labbookRuntimes || {})[name];
      if (!registry()) await loadScript(url);
      const entry = registry();
      if (!entry || typeof entry.wasm !== "string") throw new Error(`${src} did not register the runtime "${name}"`);
      performance.mark("labbook:runtime-script");
      let bytes = decodeBase64(entry.wasm);
      if (entry.encoding === "gzip+base64") {
        if (typeof DecompressionStream !== "function") throw new Error("this browser cannot decompress the runtime (it has no DecompressionStream)");
        const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
        bytes = new Uint8Array(await new Response(stream).arrayBuffer());
      } else if (entry.encoding !== "base64") {
        throw new Error(`${src}: unknown encoding "${entry.encoding}"`);
      }
      entry.wasm = null; // the bytes below (and the compiled modules) are all we keep
      performance.mark("labbook:runtime-gunzipped");
      performance.measure("labbook:runtime-script", "labbook:runtime-start", "labbook:runtime-script");
      performance.measure("labbook:runtime-decode", "labbook:runtime-script", "labbook:runtime-gunzipped");
      return bytes;
    })();
    promise.catch(() => wasmBytes.delete(key));
    wasmBytes.set(key, promise);
    return promise;
  }
