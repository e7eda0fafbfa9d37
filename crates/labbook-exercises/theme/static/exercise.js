// labbook exercises: the editor block of every `section.lb-exercise`, and `window.labbook.run`,
// which runs a WASI preview1 module (our Python runner, or a book's own runtime) in a Web Worker.
//
// Works from file://: a runtime is a `runtime/<name>.<hash>.js` file loaded with a script tag
// (fetch is refused there); it registers `self.labbookRuntimes[name] = {encoding: "gzip+base64", wasm}`.
// The module is decompressed and compiled once per page; every run gets a fresh Worker made
// from a Blob URL (the worker's source is `workerMain` below, as a string), so a run that
// never ends is simply terminated. Without exercises on the page this file does nothing.
// Without JavaScript the page keeps the static starter code the build rendered.
(function () {
  "use strict";

  const api = (window.labbook = window.labbook || {});
  const WASI = "wasi_snapshot_preview1";

  /* =====================================================================================
   * The worker: a small WASI preview1 implementation. Everything it needs arrives in one
   * message; it never touches the network or any real file. Kept self-contained because it
   * is shipped to the worker as source text.
   * ===================================================================================== */
  function workerMain() {
    "use strict";
    // WASI errno values (preview1).
    const E = { SUCCESS: 0, ACCES: 2, BADF: 8, EXIST: 20, FAULT: 21, INVAL: 28, ISDIR: 31, NOENT: 44, NOSYS: 52, NOTDIR: 54, NOTSUP: 58, ROFS: 69, SPIPE: 70, NOTCAPABLE: 76 };
    const FILETYPE = { CHAR: 2, DIR: 3, FILE: 4 };
    // Rights a read-only file may never be given: fd_write, fd_allocate, fd_filestat_set_size, fd_datasync.
    const WRITE_RIGHTS = (1n << 6n) | (1n << 8n) | (1n << 22n) | (1n << 0n);
    const O_CREAT = 1, O_DIRECTORY = 2, O_TRUNC = 8;
    const FD_APPEND = 1;

    /** Thrown by proc_exit to unwind the guest; not an error. */
    class Exit {
      constructor(code) {
        this.code = code;
      }
    }
    /** Thrown to stop the guest when a limit is hit. */
    class Stop {
      constructor(reason) {
        this.reason = reason;
      }
    }

    self.onmessage = (event) => {
      const job = event.data;
      let memory = null;
      const out = { 1: [], 2: [] };
      const written = { 1: 0, 2: 0 };
      let truncated = false;
      const enc = new TextEncoder();
      const dec = new TextDecoder();

      const u8 = () => new Uint8Array(memory.buffer);
      const dv = () => new DataView(memory.buffer);
      const guard = () => {
        if (job.memoryBytes && memory && memory.buffer.byteLength > job.memoryBytes) throw new Stop("memory");
      };
      const readString = (ptr, len) => dec.decode(u8().slice(ptr, ptr + len));

      /* ---- the read-only in-memory directory (foreign runtimes only) ---- */
      const files = new Map(); // "a/b.csv" -> Uint8Array
      const dirs = new Set([""]); // "" is the preopened root
      if (job.files) {
        for (const [name, bytes] of Object.entries(job.files)) {
          const clean = normalize("", name);
          if (clean === null) continue;
          files.set(clean, bytes);
          const parts = clean.split("/");
          for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
        }
      }
      const fds = new Map();
      fds.set(0, { kind: "stdin", data: job.stdin, pos: 0 });
      fds.set(1, { kind: "out" });
      fds.set(2, { kind: "out" });
      if (job.files) fds.set(3, { kind: "dir", path: "", preopen: "." });
      let nextFd = 4;

      /** `base` + `rel` as a clean path inside the root, or null when it would leave the root. */
      function normalize(base, rel) {
        if (rel.startsWith("/")) return null;
        const parts = base ? base.split("/") : [];
        for (const part of rel.split("/")) {
          if (part === "" || part === ".") continue;
          if (part === "..") {
            if (!parts.length) return null;
            parts.pop();
          } else parts.push(part);
        }
        return parts.join("/");
      }
      function children(dir) {
        const names = new Map();
        const prefix = dir ? dir + "/" : "";
        for (const d of dirs) if (d && d.startsWith(prefix) && !d.slice(prefix.length).includes("/")) names.set(d.slice(prefix.length), FILETYPE.DIR);
        for (const f of files.keys()) if (f.startsWith(prefix) && !f.slice(prefix.length).includes("/")) names.set(f.slice(prefix.length), FILETYPE.FILE);
        return [...names].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      }
      function lookup(fd, pathPtr, pathLen) {
        const dir = fds.get(fd);
        if (!dir) return { errno: E.BADF };
        if (dir.kind !== "dir") return { errno: E.NOTDIR };
        const path = normalize(dir.path, readString(pathPtr, pathLen));
        if (path === null) return { errno: E.NOTCAPABLE };
        if (files.has(path)) return { path, type: FILETYPE.FILE };
        if (dirs.has(path)) return { path, type: FILETYPE.DIR };
        return { path, errno: E.NOENT };
      }
      function writeFilestat(ptr, type, size, ino) {
        const v = dv();
        for (let i = 0; i < 64; i += 8) v.setBigUint64(ptr + i, 0n, true);
        v.setBigUint64(ptr + 8, BigInt(ino), true);
        v.setUint8(ptr + 16, type);
        v.setBigUint64(ptr + 24, 1n, true);
        v.setBigUint64(ptr + 32, BigInt(size), true);
      }
      const inode = (path) => {
        let h = 7;
        for (let i = 0; i < path.length; i++) h = (h * 31 + path.charCodeAt(i)) >>> 0;
        return h + 1;
      };

      /** Copies bytes from `src` (from `pos`) into the iovecs; returns the count. */
      function readInto(iovs, iovsLen, src, pos) {
        const v = dv();
        const mem = u8();
        let n = 0;
        for (let i = 0; i < iovsLen; i++) {
          const buf = v.getUint32(iovs + i * 8, true);
          const len = v.getUint32(iovs + i * 8 + 4, true);
          const chunk = src.subarray(pos + n, pos + n + len);
          mem.set(chunk, buf);
          n += chunk.length;
          if (chunk.length < len) break;
        }
        return n;
      }
      function clockNs(id) {
        // 0 realtime; 1 monotonic; 2, 3 process and thread CPU time (approximated by monotonic).
        const ms = id === 0 ? performance.timeOrigin + performance.now() : performance.now();
        return BigInt(Math.round(ms * 1e6));
      }

      const wasi = {
        args_sizes_get(countPtr, sizePtr) {
          const v = dv();
          v.setUint32(countPtr, job.args.length, true);
          v.setUint32(sizePtr, job.args.reduce((n, a) => n + enc.encode(a).length + 1, 0), true);
          return E.SUCCESS;
        },
        args_get(argvPtr, bufPtr) {
          const v = dv();
          const mem = u8();
          job.args.forEach((arg, i) => {
            const bytes = enc.encode(arg);
            v.setUint32(argvPtr + i * 4, bufPtr, true);
            mem.set(bytes, bufPtr);
            mem[bufPtr + bytes.length] = 0;
            bufPtr += bytes.length + 1;
          });
          return E.SUCCESS;
        },
        environ_sizes_get(countPtr, sizePtr) {
          const v = dv();
          v.setUint32(countPtr, 0, true);
          v.setUint32(sizePtr, 0, true);
          return E.SUCCESS;
        },
        environ_get() {
          return E.SUCCESS;
        },
        clock_res_get(id, ptr) {
          dv().setBigUint64(ptr, 1000n, true);
          return E.SUCCESS;
        },
        clock_time_get(id, precision, ptr) {
          guard();
          if (id < 0 || id > 3) return E.INVAL;
          dv().setBigUint64(ptr, clockNs(id), true);
          return E.SUCCESS;
        },
        random_get(ptr, len) {
          // getRandomValues fills at most 64 KiB at a time.
          for (let off = 0; off < len; off += 65536) {
            const chunk = new Uint8Array(Math.min(65536, len - off));
            crypto.getRandomValues(chunk);
            u8().set(chunk, ptr + off);
          }
          return E.SUCCESS;
        },
        proc_exit(code) {
          throw new Exit(code);
        },
        sched_yield() {
          return E.SUCCESS;
        },
        fd_write(fd, iovs, iovsLen, nwrittenPtr) {
          guard();
          const entry = fds.get(fd);
          if (!entry) return E.BADF;
          if (entry.kind !== "out") return entry.kind === "stdin" ? E.BADF : E.NOTCAPABLE;
          const v = dv();
          let n = 0;
          for (let i = 0; i < iovsLen; i++) {
            const buf = v.getUint32(iovs + i * 8, true);
            const len = v.getUint32(iovs + i * 8 + 4, true);
            n += len;
            const room = job.outputBytes - written[fd];
            if (room <= 0) {
              if (len > 0) truncated = true;
              continue;
            }
            const take = Math.min(room, len);
            const bytes = u8().slice(buf, buf + take);
            out[fd].push(bytes);
            written[fd] += take;
            if (take < len) truncated = true;
            if (job.stream) self.postMessage({ type: "output", fd, bytes });
          }
          dv().setUint32(nwrittenPtr, n, true);
          if (truncated && job.stopOnOutput) throw new Stop("output");
          return E.SUCCESS;
        },
        fd_read(fd, iovs, iovsLen, nreadPtr) {
          guard();
          const entry = fds.get(fd);
          if (!entry) return E.BADF;
          if (entry.kind === "dir") return E.ISDIR;
          if (entry.kind === "out") return E.BADF;
          const n = readInto(iovs, iovsLen, entry.data, entry.pos);
          entry.pos += n;
          dv().setUint32(nreadPtr, n, true);
          return E.SUCCESS;
        },
        fd_pread(fd, iovs, iovsLen, offset, nreadPtr) {
          const entry = fds.get(fd);
          if (!entry) return E.BADF;
          if (entry.kind !== "file") return entry.kind === "dir" ? E.ISDIR : E.SPIPE;
          const n = readInto(iovs, iovsLen, entry.data, Number(offset));
          dv().setUint32(nreadPtr, n, true);
          return E.SUCCESS;
        },
        fd_seek(fd, offset, whence, newPtr) {
          const entry = fds.get(fd);
          if (!entry) return E.BADF;
          if (entry.kind !== "file") return entry.kind === "dir" ? E.ISDIR : E.SPIPE;
          const base = whence === 0 ? 0 : whence === 1 ? entry.pos : whence === 2 ? entry.data.length : NaN;
          const pos = base + Number(offset);
          if (!(pos >= 0)) return E.INVAL;
          entry.pos = pos;
          dv().setBigUint64(newPtr, BigInt(pos), true);
          return E.SUCCESS;
        },
        fd_tell(fd, ptr) {
          const entry = fds.get(fd);
          if (!entry) return E.BADF;
          if (entry.kind !== "file") return E.SPIPE;
          dv().setBigUint64(ptr, BigInt(entry.pos), true);
          return E.SUCCESS;
        },
        fd_close(fd) {
          if (!fds.has(fd)) return E.BADF;
          fds.delete(fd);
          return E.SUCCESS;
        },
        fd_fdstat_get(fd, ptr) {
          const entry = fds.get(fd);
          if (!entry) return E.BADF;
          const v = dv();
          const type = entry.kind === "dir" ? FILETYPE.DIR : entry.kind === "file" ? FILETYPE.FILE : FILETYPE.CHAR;
          const rights = entry.kind === "dir" || entry.kind === "file" ? 0x1fffffffn & ~WRITE_RIGHTS : 0x1fffffffn;
          v.setUint8(ptr, type);
          v.setUint16(ptr + 2, 0, true);
          v.setBigUint64(ptr + 8, rights, true);
          v.setBigUint64(ptr + 16, entry.kind === "dir" ? rights : 0n, true);
          return E.SUCCESS;
        },
        fd_fdstat_set_flags(fd) {
          return fds.has(fd) ? E.NOTSUP : E.BADF;
        },
        fd_filestat_get(fd, ptr) {
          const entry = fds.get(fd);
          if (!entry) return E.BADF;
          if (entry.kind === "dir") writeFilestat(ptr, FILETYPE.DIR, 0, inode("/" + entry.path));
          else if (entry.kind === "file") writeFilestat(ptr, FILETYPE.FILE, entry.data.length, inode(entry.path));
          else writeFilestat(ptr, FILETYPE.CHAR, 0, fd + 1);
          return E.SUCCESS;
        },
        fd_prestat_get(fd, ptr) {
          const entry = fds.get(fd);
          if (!entry || !entry.preopen) return E.BADF;
          const v = dv();
          v.setUint8(ptr, 0); // a directory
          v.setUint32(ptr + 4, enc.encode(entry.preopen).length, true);
          return E.SUCCESS;
        },
        fd_prestat_dir_name(fd, ptr, len) {
          const entry = fds.get(fd);
          if (!entry || !entry.preopen) return E.BADF;
          const name = enc.encode(entry.preopen);
          if (len < name.length) return E.INVAL;
          u8().set(name, ptr);
          return E.SUCCESS;
        },
        fd_readdir(fd, buf, bufLen, cookie, usedPtr) {
          const entry = fds.get(fd);
          if (!entry) return E.BADF;
          if (entry.kind !== "dir") return E.NOTDIR;
          const list = [[".", FILETYPE.DIR], ["..", FILETYPE.DIR], ...children(entry.path)];
          const mem = u8();
          const v = dv();
          let used = 0;
          for (let i = Number(cookie); i < list.length && used < bufLen; i++) {
            const [name, type] = list[i];
            const bytes = enc.encode(name);
            // A dirent is 24 bytes, then the name; a record that does not fit is cut, as the spec says.
            const record = new Uint8Array(24 + bytes.length);
            const rv = new DataView(record.buffer);
            rv.setBigUint64(0, BigInt(i + 1), true);
            rv.setBigUint64(8, BigInt(inode(entry.path + "/" + name)), true);
            rv.setUint32(16, bytes.length, true);
            rv.setUint8(20, type);
            record.set(bytes, 24);
            const take = Math.min(record.length, bufLen - used);
            mem.set(record.subarray(0, take), buf + used);
            used += take;
          }
          v.setUint32(usedPtr, used, true);
          return E.SUCCESS;
        },
        path_open(fd, dirflags, pathPtr, pathLen, oflags, rightsBase, rightsInheriting, fdflags, fdPtr) {
          guard();
          if (oflags & (O_CREAT | O_TRUNC) || fdflags & FD_APPEND || BigInt.asUintN(64, rightsBase) & WRITE_RIGHTS) {
            const found = lookup(fd, pathPtr, pathLen);
            return found.errno === E.BADF || found.errno === E.NOTDIR || found.errno === E.NOTCAPABLE ? found.errno : E.ROFS;
          }
          const found = lookup(fd, pathPtr, pathLen);
          if (found.errno) return found.errno;
          if (oflags & O_DIRECTORY && found.type !== FILETYPE.DIR) return E.NOTDIR;
          const handle = nextFd++;
          if (found.type === FILETYPE.DIR) fds.set(handle, { kind: "dir", path: found.path });
          else fds.set(handle, { kind: "file", path: found.path, data: files.get(found.path), pos: 0 });
          dv().setUint32(fdPtr, handle, true);
          return E.SUCCESS;
        },
        path_filestat_get(fd, flags, pathPtr, pathLen, ptr) {
          const found = lookup(fd, pathPtr, pathLen);
          if (found.errno) return found.errno;
          const size = found.type === FILETYPE.FILE ? files.get(found.path).length : 0;
          writeFilestat(ptr, found.type, size, inode(found.type === FILETYPE.DIR ? "/" + found.path : found.path));
          return E.SUCCESS;
        },
        path_readlink(fd, pathPtr, pathLen) {
          const found = lookup(fd, pathPtr, pathLen);
          return found.errno || E.INVAL; // nothing here is a symbolic link
        },
      };
      // Everything that would change the file system: the directory is read-only.
      for (const name of ["path_create_directory", "path_remove_directory", "path_unlink_file", "path_rename", "path_link", "path_symlink", "path_filestat_set_times", "fd_filestat_set_size", "fd_filestat_set_times", "fd_allocate", "fd_renumber"]) {
        wasi[name] = (fd) => (fds.has(fd) ? E.ROFS : E.BADF);
      }
      wasi.fd_sync = wasi.fd_datasync = (fd) => (fds.has(fd) ? E.SUCCESS : E.BADF);
      // No network: sockets are not supported.
      for (const name of ["sock_accept", "sock_recv", "sock_send", "sock_shutdown", "sock_open", "sock_bind", "sock_connect", "sock_listen"]) {
        wasi[name] = () => E.NOTSUP;
      }

      // Every import gets a function: ours, or one that answers ENOSYS, so instantiation never fails.
      const imports = {};
      for (const imp of WebAssembly.Module.imports(job.module)) {
        if (imp.kind !== "function") continue;
        const ns = (imports[imp.module] = imports[imp.module] || {});
        const own = imp.module === "wasi_snapshot_preview1" && wasi[imp.name];
        ns[imp.name] = own || (() => E.NOSYS);
      }

      const finish = (extra) => {
        self.postMessage({
          type: "done",
          stdout: out[1],
          stderr: out[2],
          truncated,
          ...extra,
        });
      };
      let instance;
      try {
        instance = new WebAssembly.Instance(job.module, imports);
      } catch (e) {
        finish({ fault: `cannot start the runtime: ${e && e.message ? e.message : e}` });
        return;
      }
      memory = instance.exports.memory;
      if (!(memory instanceof WebAssembly.Memory) || typeof instance.exports._start !== "function") {
        finish({ fault: "the runtime is not a WASI command (it exports no memory or no _start)" });
        return;
      }
      self.postMessage({ type: "started" });
      try {
        instance.exports._start();
        guard();
        finish({ exitCode: 0 });
      } catch (e) {
        if (e instanceof Exit) {
          finish({ exitCode: e.code });
        } else if (e instanceof Stop) {
          finish({ stop: e.reason });
        } else if (e instanceof RangeError && /call stack/i.test(e.message)) {
          finish({ stop: "stack" });
        } else if (memory.buffer.byteLength > (job.memoryBytes || Infinity)) {
          finish({ stop: "memory" });
        } else {
          finish({ trap: e && e.message ? e.message : String(e) });
        }
      }
    };
  }

  /* =====================================================================================
   * The run API (main thread).
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
  function loadScript(url) {
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
            reject(new Error(`cannot load the runtime ${url}`));
          };
          (document.head || document.documentElement).appendChild(script);
        }),
      );
    }
    return scripts.get(url);
  }

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

  function formatSeconds(ms) {
    return ms >= 1000 ? `${+(ms / 1000).toFixed(3)} s` : `${ms} ms`;
  }
  function formatBytes(n) {
    if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MB`;
    if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
    return `${n} bytes`;
  }
  function stopReason(kind, limits) {
    switch (kind) {
      case "time":
        return `time limit of ${formatSeconds(limits.time_ms)} exceeded`;
      case "memory":
        return `memory limit of ${formatBytes(limits.memory_bytes)} exceeded`;
      case "output":
        return `output limit of ${formatBytes(limits.output_bytes)} exceeded`;
      default:
        return "stack limit exceeded";
    }
  }

  // No memory cap unless the caller gives one (exercises always do, from their limits).
  const DEFAULT_LIMITS = { time_ms: 2000, memory_bytes: 0, output_bytes: 64 << 10 };

  const ranBefore = new WeakSet(); // modules that have run once in this page

  /** Runs one module in a fresh worker, stopped after `timeMs`; resolves to what the worker reported, or a stop. */
  function runWorker(module, job, limits, signal, timeMs) {
    return new Promise((resolve) => {
      const worker = new Worker(workerSource());
      const started = performance.now();
      const streamed = { 1: [], 2: [] };
      let timer = 0;
      let settled = false;
      const settle = (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.terminate();
        if (signal) signal.removeEventListener("abort", abort);
        resolve({ ...value, elapsed: performance.now() - started });
      };
      const kill = (stop) => settle({ stop, stdout: streamed[1], stderr: streamed[2], truncated: false });
      const abort = () => kill("cancelled");
      if (signal) {
        if (signal.aborted) return kill("cancelled");
        signal.addEventListener("abort", abort);
      }
      // Instantiating is not the student's time; the clock starts when _start is called.
      // Until then a generous guard catches a worker that never answers.
      timer = setTimeout(() => kill("time"), limits.time_ms + 10000);
      worker.onmessage = (event) => {
        const msg = event.data;
        if (msg.type === "started") {
          clearTimeout(timer);
          timer = setTimeout(() => kill("time"), timeMs);
        } else if (msg.type === "output") {
          streamed[msg.fd].push(msg.bytes);
        } else if (msg.type === "done") {
          settle(msg);
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        settle({ fault: `the runtime worker failed: ${event.message || "unknown error"}` });
      };
      worker.postMessage({ ...job, module, memoryBytes: limits.memory_bytes || 0 });
    });
  }

  function joinBytes(chunks) {
    const size = chunks.reduce((n, c) => n + c.length, 0);
    const all = new Uint8Array(size);
    let off = 0;
    for (const c of chunks) {
      all.set(c, off);
      off += c.length;
    }
    return new TextDecoder().decode(all);
  }

  // The host-side checks mirror labbook's own (src/exercise/checks.rs, which speaks the runner's
  // messages), so the browser and `labbook test` give foreign runtimes the same verdicts.
  const NUMBER = /[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[nN][aA][nN]|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?)/g;
  const IN_WORD = /[\p{L}\p{N}_]/u;
  /** Every number written in `text`, in order; digits inside a word (`x1`, `3rd`, `float64`) are not numbers. */
  function numbersIn(text) {
    const out = [];
    for (const m of text.matchAll(NUMBER)) {
      const before = m.index > 0 ? text[m.index - 1] : "";
      const after = text[m.index + m[0].length] || "";
      if ((before && (IN_WORD.test(before) || before === ".")) || (after && IN_WORD.test(after))) continue;
      const word = m[0].toLowerCase();
      const sign = word.startsWith("-") ? -1 : 1;
      out.push(word.includes("nan") ? NaN : word.includes("inf") ? sign * Infinity : Number(word));
    }
    return out;
  }
  /** Lines as Rust's `str::lines` gives them: no final empty line, no trailing `\r`. */
  function lines(text) {
    const all = text.split("\n");
    if (all[all.length - 1] === "") all.pop();
    return all.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  }
  /** Evaluates one `stdout*` check of contract 1 against `stdout`; returns [passed, message]. */
  function evaluateCheck(check, stdout) {
    const hidden = !!check.hidden;
    const quote = (text) => JSON.stringify(text);
    if (typeof check.stdout === "string") {
      const expected = check.stdout;
      if (stdout === expected) return [true, ""];
      if (hidden) return [false, "the output is not the expected one"];
      // Point at the first differing line: more useful than two long blobs.
      const got = lines(stdout);
      const want = lines(expected);
      let line = 0;
      while (line < got.length && line < want.length && got[line] === want[line]) line++;
      if (line < got.length && line < want.length) return [false, `line ${line + 1} of the output is ${quote(got[line])}, expected ${quote(want[line])}`];
      if (line < want.length) return [false, `the output stops after ${line} line(s); expected next: ${quote(want[line])}`];
      if (line < got.length) return [false, `the output has extra line ${line + 1}: ${quote(got[line])}`];
      return [false, `the output differs in its line endings: got ${quote(stdout)}, expected ${quote(expected)}`];
    }
    if (typeof check.stdout_regex === "string") {
      let re;
      try {
        re = new RegExp(check.stdout_regex, "u");
      } catch (e) {
        return [false, `the check's regular expression is invalid: ${e.message}`];
      }
      if (re.test(stdout)) return [true, ""];
      return [false, hidden ? "the output does not have the expected form" : `the output does not match /${check.stdout_regex}/`];
    }
    if (Array.isArray(check.stdout_numbers)) {
      const want = check.stdout_numbers;
      const got = numbersIn(stdout);
      const tol = typeof check.tolerance === "number" ? check.tolerance : 1e-6;
      if (got.length !== want.length) return [false, `expected ${want.length} number(s) in the output, found ${got.length}`];
      for (let i = 0; i < want.length; i++) {
        const diff = Math.abs(got[i] - want[i]);
        const close = diff <= tol || diff <= tol * Math.abs(want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i])) || got[i] === want[i];
        if (!close) return [false, hidden ? `number ${i + 1} of the output is not the expected value` : `number ${i + 1} of the output is ${got[i]}, expected ${want[i]} (tolerance ${tol})`];
      }
      return [true, ""];
    }
    return [false, "a `code` check needs the python runtime"];
  }

  function failAll(checks, message) {
    return (checks || []).map((c) => ({ name: c.name, passed: false, message, hidden: !!c.hidden }));
  }

  /**
   * Contract 5: runs `request` (contract 1) on the runtime `runtime` loaded from `src` and resolves
   * to contract 1's result, with `stopped` set when a limit ended the run. Never rejects for the
   * student's code; rejects only when the runtime itself cannot be loaded.
   */
  api.run = async function run({ runtime = "python", src, request, limits = {}, signal } = {}) {
    if (!src) throw new Error("labbook.run: `src` (the runtime script) is required");
    const lim = { ...DEFAULT_LIMITS, ...limits };
    const module = await api.loadRuntime(runtime, src, lim.memory_bytes);
    const python = runtime === "python";
    const enc = new TextEncoder();
    let job;
    if (python) {
      // The runner caps the student's output itself; this host cap only guards its JSON.
      const req = { max_output: lim.output_bytes, ...request };
      job = { stdin: enc.encode(JSON.stringify(req)), args: [runtime], files: null, outputBytes: lim.output_bytes * 8 + (1 << 20), stopOnOutput: true, stream: false };
    } else {
      const files = {};
      for (const [name, content] of Object.entries(request.files || {})) {
        files[name] = typeof content === "string" ? enc.encode(content) : decodeBase64(content.base64 || "");
      }
      job = { stdin: new Uint8Array(0), args: [runtime, request.entry || "main.py"], files, outputBytes: lim.output_bytes, stopOnOutput: true, stream: true };
    }
    performance.mark("labbook:run-start");
    // The browser compiles wasm functions lazily, when first called: the first run of a module
    // pays for compiling the interpreter paths it uses (up to a second on a slow machine), which
    // is not the student's time. It gets the limit again on top (at least 2 s); later runs, none.
    const grace = ranBefore.has(module) ? 0 : Math.max(lim.time_ms, 2000);
    const raw = await runWorker(module, job, lim, signal, lim.time_ms + grace);
    ranBefore.add(module);
    performance.mark("labbook:run-end");
    performance.measure("labbook:run", "labbook:run-start", "labbook:run-end");
    const stdout = joinBytes(raw.stdout || []);
    const stderr = joinBytes(raw.stderr || []);
    // Rust's allocator reports a failed allocation on stderr, then aborts: that is the memory limit.
    if (raw.trap && lim.memory_bytes && /memory allocation of \d+ bytes failed/.test(stderr)) raw.stop = "memory";
    const checks = request.checks || [];
    const base = { stdout: "", stderr: "", truncated: !!raw.truncated, error: null, checks: [], passed: false, duration_ms: Math.round(raw.elapsed * 10) / 10 };

    if (raw.stop) {
      const stopped = raw.stop === "cancelled" ? "cancelled by the reader" : stopReason(raw.stop, lim);
      // A killed Python runner never printed its result: the student's output is lost with it.
      return { ...base, stdout: python ? "" : stdout, stderr, truncated: raw.stop === "output", checks: failAll(checks, `stopped: ${stopped}`), stopped };
    }
    if (raw.fault) {
      const error = { type: "RuntimeError", message: raw.fault, file: null, line: null, column: null, traceback: null };
      return { ...base, error, checks: failAll(checks, raw.fault) };
    }
    if (python) {
      let result = null;
      try {
        result = JSON.parse(stdout);
      } catch (e) {
        result = null;
      }
      if (!result || typeof result !== "object" || raw.exitCode !== 0) {
        const why = raw.trap ? `the runtime ended abnormally (${raw.trap})` : raw.exitCode !== 0 ? `the runtime exited with status ${raw.exitCode}` : "the runtime printed no valid result";
        const detail = stderr.trim() || stdout.slice(0, 500);
        const error = { type: "RuntimeError", message: why, file: null, line: null, column: null, traceback: detail || null };
        return { ...base, stderr, error, checks: failAll(checks, why) };
      }
      // `passed` as contract 1 defines it, whatever the runner said.
      result.passed = !result.error && (result.checks || []).every((c) => c.passed);
      return result;
    }
    // A foreign runtime: its output is the student's output; the checks are evaluated here.
    let error = null;
    if (raw.trap) error = { type: "Trap", message: `the program ended abnormally (${raw.trap})`, file: null, line: null, column: null, traceback: stderr || null };
    else if (raw.exitCode !== 0) error = { type: "ExitStatus", message: `the program exited with status ${raw.exitCode}`, file: null, line: null, column: null, traceback: stderr || null };
    const results = error
      ? failAll(checks, `your program failed: ${error.message}`)
      : checks.map((c) => {
          const [passed, message] = evaluateCheck(c, stdout);
          return { name: c.name, passed, message, hidden: !!c.hidden };
        });
    return { ...base, stdout, stderr, error, checks: results, passed: !error && results.every((c) => c.passed) };
  };

  /* =====================================================================================
   * The exercise block: editor, buttons, output.
   * ===================================================================================== */
  const sections = document.querySelectorAll("section.lb-exercise");
  if (!sections.length) return;

  /* ---------- Python highlighting ---------- */
  const KEYWORDS = new Set(
    "False None True and as assert async await break case class continue def del elif else except finally for from global if import in is lambda match nonlocal not or pass raise return try while with yield".split(" "),
  );
  const BUILTINS = new Set(
    "abs all any bool dict divmod enumerate filter float format getattr hasattr int isinstance iter len list map max min next object open pow print range repr reversed round set sorted str sum super tuple type zip self Exception ValueError TypeError IndexError KeyError ZeroDivisionError AssertionError NameError RuntimeError StopIteration".split(" "),
  );
  // comment | string (optional prefix; triple quotes may run to the end) | number | name | decorator
  const TOKEN = /(#[^\n]*)|((?:[rRbBuUfF]{1,2})?(?:'''[\s\S]*?(?:'''|$)|"""[\s\S]*?(?:"""|$)|'(?:[^'\\\n]|\\[\s\S])*'?|"(?:[^"\\\n]|\\[\s\S])*"?))|((?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d+)?)[jJ]?)|([A-Za-z_\u00C0-\uFFFF][\w\u00C0-\uFFFF]*)|(@[A-Za-z_][\w.]*)/g;

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  }
  /** Splits Python source into [class, text] tokens; class "" is plain text. */
  function tokenize(source) {
    const tokens = [];
    let last = 0;
    let afterDef = false;
    TOKEN.lastIndex = 0;
    for (let m; (m = TOKEN.exec(source)); ) {
      if (m.index > last) tokens.push(["", source.slice(last, m.index)]);
      let cls = "";
      if (m[1] !== undefined) cls = "com";
      else if (m[2] !== undefined) cls = "str";
      else if (m[3] !== undefined) cls = "num";
      else if (m[5] !== undefined) cls = "dec";
      else if (afterDef) cls = "fn";
      else if (KEYWORDS.has(m[4])) cls = "kw";
      else if (BUILTINS.has(m[4])) cls = "bi";
      afterDef = m[4] === "def" || m[4] === "class";
      tokens.push([cls, m[0]]);
      last = TOKEN.lastIndex;
    }
    if (last < source.length) tokens.push(["", source.slice(last)]);
    return tokens;
  }
  /** Highlighted HTML as one run of text (for read-only code that readers may copy). */
  function highlight(source) {
    return tokenize(source)
      .map(([cls, text]) => (cls ? `<span class="lb-t-${cls}">${escapeHtml(text)}</span>` : escapeHtml(text)))
      .join("");
  }
  /** Highlighted HTML, one <div> per line (so a line can be marked); only for the editor's overlay. */
  function highlightLines(source, markLine) {
    const lines = [[]];
    for (const [cls, text] of tokenize(source)) {
      text.split("\n").forEach((piece, i) => {
        if (i > 0) lines.push([]);
        if (piece) lines[lines.length - 1].push(cls ? `<span class="lb-t-${cls}">${escapeHtml(piece)}</span>` : escapeHtml(piece));
      });
    }
    return lines.map((parts, i) => `<div class="lb-ed-line${i + 1 === markLine ? " lb-ed-error" : ""}">${parts.join("")}</div>`).join("");
  }

  /* ---------- storage: one record per exercise and book ---------- */
  let local = null;
  try {
    local = window.localStorage;
  } catch (e) {
    local = null; // storage disabled: progress is simply not kept
  }
  // file:// pages of every book share one origin: the book's folder is part of the key.
  const bookRoot = new URL(document.documentElement.dataset.root || "./", location.href).pathname;
  const storageKey = (id) => `labbook-exercise:${bookRoot}:${id}`;
  function loadState(id) {
    try {
      const value = JSON.parse((local && local.getItem(storageKey(id))) || "null");
      return value && typeof value === "object" ? value : {};
    } catch (e) {
      return {};
    }
  }
  function saveState(id, state) {
    try {
      if (local) local.setItem(storageKey(id), JSON.stringify(state));
    } catch (e) {
      /* quota or privacy mode: progress just isn't kept */
    }
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v === null || v === undefined) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  const INDENT = "    ";
  const isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

  /* ---------- the editor: a textarea over a highlighted copy of its text ---------- */
  function createEditor(label, keysId, onRun, onChange) {
    const gutter = el("div", { class: "lb-ed-gutter", "aria-hidden": "true" });
    const highlight = el("pre", { class: "lb-ed-highlight", "aria-hidden": "true" });
    const code = el("code", {});
    highlight.append(code);
    const area = el("textarea", {
      class: "lb-ed-input",
      spellcheck: "false",
      autocapitalize: "off",
      autocomplete: "off",
      autocorrect: "off",
      wrap: "off",
      "aria-label": label,
      "aria-keyshortcuts": isMac ? "Meta+Enter Meta+Shift+Enter" : "Control+Enter Control+Shift+Enter",
      "aria-describedby": keysId,
    });
    const hint = el("p", { class: "lb-ed-keys", id: keysId }, `Tab indents, Shift+Tab dedents, ${isMac ? "⌘" : "Ctrl"}+Enter runs, ${isMac ? "⌘" : "Ctrl"}+Shift+Enter checks. Press Esc, then Tab, to leave the editor.`);
    const body = el("div", { class: "lb-ed-body" }, highlight, area);
    const root = el("div", { class: "lb-editor" }, gutter, body);
    let errorLine = 0;
    let escaped = false;

    function render() {
      const text = area.value;
      code.innerHTML = highlightLines(text, errorLine);
      const count = text.split("\n").length;
      if (gutter.childElementCount !== count || gutter.dataset.error !== String(errorLine)) {
        const nums = [];
        for (let i = 1; i <= count; i++) nums.push(`<div${i === errorLine ? ' class="lb-ed-error"' : ""}>${i}</div>`);
        gutter.innerHTML = nums.join("");
        gutter.dataset.error = String(errorLine);
      }
      // Tall enough for the code (between 6 and 24 lines); beyond that the editor scrolls.
      root.style.setProperty("--lb-ed-lines", String(Math.min(Math.max(count, 6), 24)));
      sync();
    }
    function sync() {
      highlight.scrollTop = area.scrollTop;
      highlight.scrollLeft = area.scrollLeft;
      gutter.scrollTop = area.scrollTop;
    }

    /** Replaces [start, end) with `text` through the browser's editing, so undo keeps working. */
    function replace(start, end, text, selStart, selEnd) {
      area.focus();
      area.setSelectionRange(start, end);
      let done = false;
      try {
        done = document.execCommand("insertText", false, text);
      } catch (e) {
        done = false;
      }
      if (!done || area.value.slice(start, start + text.length) !== text) {
        area.setRangeText(text, start, end, "end");
        area.dispatchEvent(new Event("input", { bubbles: true }));
      }
      if (selStart !== undefined) area.setSelectionRange(selStart, selEnd === undefined ? selStart : selEnd);
    }
    function lineStart(pos) {
      return area.value.lastIndexOf("\n", pos - 1) + 1;
    }
    function indentSelection(dedent) {
      const { selectionStart: s, selectionEnd: e, value } = area;
      const from = lineStart(s);
      // A selection ending at the start of a line does not include that line.
      const endPos = e > s && value[e - 1] === "\n" ? e - 1 : e;
      let to = value.indexOf("\n", endPos);
      if (to < 0) to = value.length;
      if (!dedent && s === e) {
        // No selection: indent to the next multiple of four from the caret.
        const col = s - from;
        replace(s, s, " ".repeat(4 - (col % 4)));
        return;
      }
      const lines = value.slice(from, to).split("\n");
      let firstShift = 0;
      const changed = lines.map((line, i) => {
        if (!dedent) {
          if (i === 0) firstShift = INDENT.length;
          return INDENT + line;
        }
        const spaces = line.match(/^ */)[0].length;
        const remove = spaces ? Math.min(spaces, INDENT.length) : line.startsWith("\t") ? 1 : 0;
        if (i === 0) firstShift = -remove;
        return line.slice(remove);
      });
      const text = changed.join("\n");
      if (text === value.slice(from, to)) return;
      // A caret moves with its line; a selection grows to cover the whole lines it touched.
      if (s === e) replace(from, to, text, Math.max(from, s + firstShift));
      else replace(from, to, text, from, from + text.length);
    }

    area.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        escaped = true;
        return;
      }
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        onRun(event.shiftKey);
        return;
      }
      if (event.key === "Tab" && !event.ctrlKey && !event.metaKey && !event.altKey) {
        if (escaped) return; // let focus move on
        event.preventDefault();
        indentSelection(event.shiftKey);
        return;
      }
      escaped = false;
      if (event.key === "Enter" && !event.shiftKey && !event.altKey && !event.isComposing) {
        const { selectionStart: s, selectionEnd: e, value } = area;
        const before = value.slice(lineStart(s), s);
        let indent = before.match(/^[ \t]*/)[0];
        if (/:\s*(#.*)?$/.test(before)) indent += INDENT;
        event.preventDefault();
        replace(s, e, "\n" + indent);
        return;
      }
      if (event.key === "Backspace" && area.selectionStart === area.selectionEnd) {
        // Backspace in leading spaces removes one indentation step.
        const s = area.selectionStart;
        const before = area.value.slice(lineStart(s), s);
        if (before.length > 0 && /^ +$/.test(before)) {
          event.preventDefault();
          const remove = before.length % 4 || 4;
          replace(s - remove, s, "");
        }
      }
    });
    area.addEventListener("blur", () => (escaped = false));
    area.addEventListener("input", () => {
      if (errorLine) errorLine = 0;
      render();
      onChange(area.value);
    });
    area.addEventListener("scroll", sync);

    return {
      root,
      hint,
      area,
      get value() {
        return area.value;
      },
      set value(text) {
        area.value = text;
        errorLine = 0;
        render();
      },
      markLine(line) {
        errorLine = line || 0;
        render();
        if (!line) return;
        // Bring the line into view inside the editor.
        const lh = parseFloat(getComputedStyle(area).lineHeight) || 20;
        const top = (line - 1) * lh;
        if (top < area.scrollTop || top > area.scrollTop + area.clientHeight - 2 * lh) area.scrollTop = Math.max(0, top - area.clientHeight / 3);
        sync();
      },
      render,
    };
  }

  /* ---------- one exercise block ---------- */
  let counter = 0;
  function setUp(section) {
    const dataNode = section.querySelector("script.lb-exercise-data");
    if (!dataNode) return;
    let data;
    try {
      data = JSON.parse(dataNode.textContent);
    } catch (e) {
      console.error(`labbook: exercise ${section.id}: bad data: ${e.message}`);
      return;
    }
    const id = data.id || section.dataset.exercise || section.id;
    const runtime = data.runtime || section.dataset.runtime || "python";
    const src = section.dataset.runtimeSrc;
    const request = data.request || {};
    const entry = request.entry || "main.py";
    const limits = { ...DEFAULT_LIMITS, ...(data.limits || {}) };
    const hints = Array.isArray(data.hints) ? data.hints : [];
    const show = data.show_solution || "after-attempt";
    const uid = `lb-ex-${++counter}`;
    const state = loadState(id);
    const save = () => saveState(id, state);

    const editor = createEditor(`Code for the exercise: ${data.title || id}`, `${uid}-keys`, (check) => start(check), (text) => {
      state.code = text;
      state.updated = Date.now();
      clearTimeout(saveTimer);
      saveTimer = setTimeout(save, 250);
    });
    let saveTimer = 0;

    const button = (label, cls, extra) => el("button", { type: "button", class: `lb-ex-button ${cls}`, ...extra }, label);
    const checkCount = (request.checks || []).length || (data.checks || []).length;
    const runButton = button("Run", checkCount ? "lb-ex-run" : "lb-ex-run lb-ex-primary", { title: `Run your code (${isMac ? "⌘" : "Ctrl"}+Enter)` });
    const checkButton = checkCount ? button("Check", "lb-ex-check lb-ex-primary", { title: `Run your code and the ${checkCount} check${checkCount === 1 ? "" : "s"} (${isMac ? "⌘" : "Ctrl"}+Shift+Enter)` }) : null;
    const stopButton = button("Stop", "lb-ex-stop", { hidden: true });
    const resetButton = button("Reset", "lb-ex-reset", { title: "Start again from the starter code" });
    const hintButton = hints.length ? button("Hint", "lb-ex-hint", { "aria-controls": `${uid}-hints` }) : null;
    const solutionButton = show !== "never" && typeof data.solution === "string" ? button("Solution", "lb-ex-solution-button", { "aria-controls": `${uid}-solution`, "aria-expanded": "false" }) : null;
    // Not a live region: it ticks every 100 ms while running. The output panel below announces results.
    const status = el("span", { class: "lb-ex-status" });
    const toolbar = el("div", { class: "lb-ex-toolbar" }, runButton, checkButton, stopButton, resetButton, hintButton, solutionButton, status);

    const hintList = el("ol", { class: "lb-ex-hints", id: `${uid}-hints`, hidden: true });
    const solutionCode = el("code", {});
    const useSolution = button("Copy into the editor", "lb-ex-use-solution");
    const solutionPanel = el(
      "div",
      { class: "lb-ex-solution", id: `${uid}-solution`, hidden: true },
      el("p", { class: "lb-ex-panel-title", text: "Solution" }),
      el("pre", { class: "lb-ex-solution-code" }, solutionCode),
      useSolution,
    );
    const output = el("div", { class: "lb-ex-output", "aria-live": "polite", "aria-atomic": "false", id: `${uid}-output` });
    const ui = el("div", { class: "lb-ex-ui" }, editor.root, editor.hint, toolbar, hintList, solutionPanel, output);

    const staticView = section.querySelector(".lb-exercise-static");
    if (staticView) staticView.hidden = true;
    dataNode.after(ui);
    section.classList.add("lb-exercise-ready");

    const starter = typeof data.starter === "string" ? data.starter : "";
    editor.value = typeof state.code === "string" ? state.code : starter;

    /* --- hints and solution --- */
    function renderHints() {
      const shown = Math.min(state.hints || 0, hints.length);
      hintList.replaceChildren();
      for (let i = 0; i < shown; i++) {
        const body = el("div", { class: "lb-ex-hint-body" });
        body.innerHTML = hints[i]; // Markdown rendered by the build
        hintList.append(el("li", { class: "lb-ex-hint-item" }, el("p", { class: "lb-ex-panel-title", text: `Hint ${i + 1} of ${hints.length}` }), body));
      }
      hintList.hidden = shown === 0;
      if (hintButton) {
        hintButton.textContent = shown === 0 ? "Hint" : shown < hints.length ? "Next hint" : "No more hints";
        hintButton.disabled = shown >= hints.length;
        hintButton.setAttribute("aria-label", shown < hints.length ? `Show hint ${shown + 1} of ${hints.length}` : `All ${hints.length} hints shown`);
      }
    }
    function solutionAllowed() {
      return show === "always" || (show === "after-attempt" && (state.attempts || 0) > 0);
    }
    function renderSolution() {
      if (!solutionButton) return;
      const allowed = solutionAllowed();
      solutionButton.disabled = !allowed;
      solutionButton.title = allowed ? "Show the reference solution" : "Available after your first Check";
      const open = allowed && !!state.solutionShown;
      solutionPanel.hidden = !open;
      solutionButton.setAttribute("aria-expanded", open ? "true" : "false");
      solutionButton.textContent = open ? "Hide solution" : "Solution";
      if (open && !solutionCode.childElementCount) solutionCode.innerHTML = highlight(data.solution.replace(/\n$/, ""));
    }
    if (hintButton) {
      hintButton.addEventListener("click", () => {
        state.hints = Math.min((state.hints || 0) + 1, hints.length);
        save();
        renderHints();
        const last = hintList.lastElementChild;
        if (last) last.scrollIntoView({ block: "nearest" });
      });
    }
    if (solutionButton) {
      solutionButton.addEventListener("click", () => {
        if (!solutionAllowed()) return;
        state.solutionShown = !state.solutionShown;
        save();
        renderSolution();
      });
    }
    useSolution.addEventListener("click", () => {
      if (editor.value !== starter && editor.value !== data.solution && !window.confirm("Replace your code with the solution?")) return;
      editor.value = data.solution;
      state.code = data.solution;
      save();
      editor.area.focus();
    });
    resetButton.addEventListener("click", () => {
      if (editor.value !== starter && !window.confirm("Reset the editor to the starter code? Your changes will be lost.")) return;
      editor.value = starter;
      delete state.code;
      save();
      output.replaceChildren();
      section.classList.remove("lb-exercise-passed", "lb-exercise-failed");
      editor.area.focus();
    });
    renderHints();
    renderSolution();
    if (state.passed) section.classList.add("lb-exercise-solved");

    /* --- running --- */
    let running = null;
    function setRunning(on, label) {
      runButton.disabled = on;
      if (checkButton) checkButton.disabled = on;
      resetButton.disabled = on;
      stopButton.hidden = !on;
      section.classList.toggle("lb-exercise-running", on);
      section.setAttribute("aria-busy", on ? "true" : "false");
      clearInterval(setRunning.timer);
      if (!on) return;
      const t0 = performance.now();
      const tick = () => (status.textContent = `${label()} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      tick();
      setRunning.timer = setInterval(tick, 100);
    }
    stopButton.addEventListener("click", () => running && running.abort());
    // As soon as the reader works on the exercise, load the runtime and run an empty program once:
    // the browser compiles wasm functions lazily, on first call, so this takes the first run's
    // compiling off the reader's first Run.
    const warm = () => {
      if (!src) return;
      const ready = api.loadRuntime(runtime, src, limits.memory_bytes);
      // Skipped when the reader's own run started meanwhile: it does the same compiling.
      const idle = () => !running && api.run({ runtime, src, request: { files: { [entry]: "" }, entry, checks: [] }, limits });
      (runtime === "python" ? ready.then(idle) : ready).catch(() => {});
    };
    section.addEventListener("focusin", warm, { once: true });

    async function start(withChecks) {
      if (running) return;
      if (withChecks && !checkButton) withChecks = false;
      if (!src) {
        showFailure("This exercise has no runtime script (data-runtime-src is missing).");
        return;
      }
      const files = { ...(request.files || {}), [entry]: editor.value };
      const req = { ...request, files, entry, checks: withChecks ? request.checks || [] : [] };
      running = new AbortController();
      let phase = "Loading the runtime…";
      setRunning(true, () => phase);
      status.classList.remove("lb-ex-status-ok", "lb-ex-status-bad");
      try {
        await api.loadRuntime(runtime, src, limits.memory_bytes);
        phase = withChecks ? "Checking…" : "Running…";
        const result = await api.run({ runtime, src, request: req, limits, signal: running.signal });
        if (withChecks) {
          state.attempts = (state.attempts || 0) + 1;
          if (result.passed) state.passed = true;
          state.code = editor.value;
          save();
          renderSolution();
        }
        showResult(result, withChecks);
      } catch (e) {
        showFailure(`Cannot run the code: ${e && e.message ? e.message : e}`);
      } finally {
        running = null;
        setRunning(false);
      }
    }
    checkButton && checkButton.addEventListener("click", () => start(true));
    runButton.addEventListener("click", () => start(false));

    function showFailure(message) {
      status.textContent = "";
      output.replaceChildren(el("p", { class: "lb-ex-summary lb-ex-bad", text: message }));
    }

    function block(title, text, cls) {
      return el("div", { class: `lb-ex-stream ${cls}` }, el("p", { class: "lb-ex-panel-title", text: title }), el("pre", {}, text));
    }

    function showResult(result, withChecks) {
      const parts = [];
      const checks = Array.isArray(result.checks) ? result.checks : [];
      const error = result.error;
      const ok = !!result.passed && !result.stopped;
      let summary;
      if (result.stopped) summary = `Stopped: ${result.stopped}.`;
      else if (error && !error.file && !error.line) summary = `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.`; // the host's, not Python's
      else if (error) summary = `Your code raised ${error.type || "an error"}${error.line ? ` on line ${error.line}` : ""}.`;
      else if (withChecks && checks.length) {
        const passed = checks.filter((c) => c.passed).length;
        if (passed === checks.length) summary = checks.length === 1 ? "The check passed." : `All ${checks.length} checks passed.`;
        else summary = checks.length === 1 ? "The check failed." : `${passed} of ${checks.length} checks passed.`;
      } else summary = "Finished without errors.";
      const took = typeof result.duration_ms === "number" ? ` (${result.duration_ms < 1000 ? Math.round(result.duration_ms) + " ms" : (result.duration_ms / 1000).toFixed(2) + " s"})` : "";
      parts.push(el("p", { class: `lb-ex-summary ${ok ? "lb-ex-ok" : result.stopped || error || withChecks ? "lb-ex-bad" : ""}` }, summary + took));
      status.textContent = ok ? (withChecks ? "Passed" : "Done") : result.stopped ? "Stopped" : error ? "Error" : withChecks ? "Not yet" : "Done";
      status.classList.toggle("lb-ex-status-ok", ok);
      status.classList.toggle("lb-ex-status-bad", !ok && (withChecks || !!error || !!result.stopped));

      if (error) {
        const where = error.line ? `line ${error.line}${error.column ? `, column ${error.column}` : ""}${error.file && error.file !== entry ? ` of ${error.file}` : ""}: ` : "";
        const box = el("div", { class: "lb-ex-error" }, el("p", { class: "lb-ex-panel-title", text: "Error" }), el("pre", {}, `${where}${error.type ? error.type + ": " : ""}${error.message || ""}`));
        if (error.traceback) {
          const details = el("details", {}, el("summary", { text: "Traceback" }), el("pre", {}, error.traceback));
          box.append(details);
        }
        parts.push(box);
      }
      editor.markLine(error && error.line && (!error.file || error.file === entry) ? error.line : 0);

      if (withChecks && checks.length) {
        const list = el("ul", { class: "lb-ex-checks", "aria-label": "Check results" });
        let hiddenNo = 0;
        for (const c of checks) {
          const name = c.hidden ? `hidden check ${++hiddenNo}` : c.name;
          const item = el(
            "li",
            { class: `lb-ex-check-item ${c.passed ? "lb-ex-pass" : "lb-ex-fail"}${c.hidden ? " lb-ex-hidden-check" : ""}` },
            el("span", { class: "lb-ex-mark", "aria-hidden": "true", text: c.passed ? "✓" : "✗" }),
            el("span", { class: "lb-ex-check-name" }, el("span", { class: "lb-visually-hidden", text: c.passed ? "Passed: " : "Failed: " }), name),
          );
          if (!c.passed && !c.hidden && c.message) item.append(el("span", { class: "lb-ex-check-message", text: c.message }));
          list.append(item);
        }
        parts.push(list);
      }
      const stdout = result.stdout || "";
      const stderr = result.stderr || "";
      if (stdout) parts.push(block("Output", stdout, "lb-ex-stdout"));
      if (stderr) parts.push(block("Errors and warnings (stderr)", stderr, "lb-ex-stderr"));
      if (!stdout && !stderr && !error && !result.stopped) parts.push(el("p", { class: "lb-ex-empty", text: "(no output)" }));
      if (result.truncated) parts.push(el("p", { class: "lb-ex-note", text: `The output was cut at ${formatBytes(limits.output_bytes)}.` }));
      output.replaceChildren(...parts);
      section.classList.toggle("lb-exercise-passed", withChecks && ok);
      section.classList.toggle("lb-exercise-failed", withChecks && !ok);
      if (state.passed) section.classList.add("lb-exercise-solved");
    }
  }

  for (const section of sections) {
    try {
      setUp(section);
    } catch (e) {
      // One broken block must not take the others (or the static view) down.
      console.error(`labbook: exercise ${section.id}: ${e && e.stack ? e.stack : e}`);
    }
  }
})();
