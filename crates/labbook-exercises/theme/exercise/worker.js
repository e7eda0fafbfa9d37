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
        const detail = String(e && e.message ? e.message : e);
        finish({ fault: `cannot start the runtime: ${detail}`, reason: { code: "cannot_start", args: { detail } } });
        return;
      }
      memory = instance.exports.memory;
      if (!(memory instanceof WebAssembly.Memory) || typeof instance.exports._start !== "function") {
        finish({ fault: "the runtime is not a WASI command (it exports no memory or no _start)", reason: { code: "not_wasi", args: {} } });
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
