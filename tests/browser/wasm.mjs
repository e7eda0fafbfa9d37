// A tiny WebAssembly encoder for test programs, so the browser tests can exercise the WASI shim
// with small WASI preview1 commands without a wasm toolchain. Each program is one `_start`
// function over one exported memory; see `programs` at the end.

const I32 = 0x7f;
const I64 = 0x7e;

function uleb(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}
function sleb(n) {
  n = BigInt(n);
  const out = [];
  for (;;) {
    const byte = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && (byte & 0x40) === 0) || (n === -1n && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}
const bytesOf = (text) => [...new TextEncoder().encode(text)];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, body) => [id, ...uleb(body.length), ...body];
const name = (text) => vec(bytesOf(text));

/** The WASI functions the programs use, with their signatures. */
const SIGNATURES = {
  fd_write: [[I32, I32, I32, I32], [I32]],
  fd_read: [[I32, I32, I32, I32], [I32]],
  path_open: [[I32, I32, I32, I32, I32, I64, I64, I32, I32], [I32]],
  args_sizes_get: [[I32, I32], [I32]],
  args_get: [[I32, I32], [I32]],
  proc_exit: [[I32], []],
  fd_readdir: [[I32, I32, I32, I64, I32], [I32]],
  sock_accept: [[I32, I32, I32], [I32]],
};

/**
 * Encodes a module importing `imports` ([module, name, signatureName]) whose `_start` runs `code`
 * (instruction bytes, built with the helpers below) with `locals` extra i32 locals, and whose memory
 * holds `data` ([offset, string]).
 */
function encode({ imports, code, locals = 0, data = [] }) {
  const types = [];
  const typeIndex = (params, results) => {
    const key = JSON.stringify([params, results]);
    let i = types.findIndex((t) => t.key === key);
    if (i < 0) {
      types.push({ key, bytes: [0x60, ...vec(params), ...vec(results)] });
      i = types.length - 1;
    }
    return i;
  };
  const importEntries = imports.map(([mod, field, sig]) => {
    const [params, results] = SIGNATURES[sig];
    return [...name(mod), ...name(field), 0x00, ...uleb(typeIndex(params, results))];
  });
  const startType = typeIndex([], []);
  const body = [...vec(locals ? [[...uleb(locals), I32]] : []), ...code, 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types.map((t) => t.bytes))),
    ...section(2, vec(importEntries)),
    ...section(3, vec([uleb(startType)])),
    ...section(5, vec([[0x00, 0x01]])), // one memory, one page
    ...section(7, vec([[...name("memory"), 0x02, 0x00], [...name("_start"), 0x00, ...uleb(imports.length)]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
    ...section(11, vec(data.map(([offset, text]) => [0x00, 0x41, ...sleb(offset), 0x0b, ...vec(bytesOf(text))]))),
  ]);
}

/* ---------- instructions ---------- */
const i32 = (n) => [0x41, ...sleb(n)];
const i64 = (n) => [0x42, ...sleb(n)];
const get = (i) => [0x20, ...uleb(i)];
const set = (i) => [0x21, ...uleb(i)];
const load = [0x28, 0x02, 0x00];
const load8 = [0x2d, 0x00, 0x00];
const store = [0x36, 0x02, 0x00];
const add = [0x6a];
const ltU = [0x49];
const eq = [0x46];
const eqz = [0x45];
const drop = [0x1a];
const loop = (...body) => [0x03, 0x40, ...body.flat(), 0x0b];
const block = (...body) => [0x02, 0x40, ...body.flat(), 0x0b];
const br = (depth) => [0x0c, ...uleb(depth)];
const brIf = (depth) => [0x0d, ...uleb(depth)];
const ifElse = (then, otherwise = []) => [0x04, 0x40, ...then.flat(), ...(otherwise.length ? [0x05, ...otherwise.flat()] : []), 0x0b];

// Memory layout: 16 iovec, 24 count, 28 opened fd, 32..40 args sizes, 64.. argv, 256.. strings, 1024.. args, 4096.. file buffer.
const IOV = 16, COUNT = 24, FD = 28;

function program(imports, build) {
  const index = Object.fromEntries(imports.map(([, field], i) => [field, i]));
  const call = (field) => [0x10, ...uleb(index[field])];
  const strings = [];
  let next = 256;
  const str = (text) => {
    const at = next;
    strings.push([at, text]);
    next += new TextEncoder().encode(text).length + 1;
    return [at, new TextEncoder().encode(text).length];
  };
  /** fd_write(fd, one iovec of [ptrCode, lenCode]) */
  const writeCode = (fd, ptrCode, lenCode) => [...i32(IOV), ...ptrCode, ...store, ...i32(IOV + 4), ...lenCode, ...store, ...i32(fd), ...i32(IOV), ...i32(1), ...i32(COUNT), ...call("fd_write"), ...drop];
  const print = (text) => {
    const [at, len] = str(text);
    return writeCode(1, i32(at), i32(len));
  };
  /** path_open(3, 0, path, oflags, rights) leaving the errno on the stack; the fd goes to FD. */
  const open = (pathCode, lenCode, oflags, rights) => [...i32(3), ...i32(0), ...pathCode, ...lenCode, ...i32(oflags), ...i64(rights), ...i64(0), ...i32(0), ...i32(FD), ...call("path_open")];
  const code = build({ call, print, writeCode, open, str });
  return encode({ imports, code, locals: 2, data: strings });
}

const W = "wasi_snapshot_preview1";

/** Test programs, as wasm bytes. */
export const programs = {
  /**
   * `cat`: prints the file named by argv[1] from the preopened directory, then reports what the
   * sandbox refused: creating a file, leaving the directory, a socket, and an unknown import.
   */
  cat: () =>
    program(
      [[W, "args_sizes_get", "args_sizes_get"], [W, "args_get", "args_get"], [W, "path_open", "path_open"], [W, "fd_read", "fd_read"], [W, "fd_write", "fd_write"], [W, "proc_exit", "proc_exit"], [W, "sock_accept", "sock_accept"], ["env", "mystery", "sock_accept"]],
      ({ call, print, writeCode, open, str }) => {
        const [outName, outLen] = str("out.txt");
        const [upName, upLen] = str("../secret.txt");
        return [
          // argv[1] -> local 0 (pointer), its length -> local 1
          ...i32(32), ...i32(36), ...call("args_sizes_get"), ...drop,
          ...i32(64), ...i32(1024), ...call("args_get"), ...drop,
          ...i32(68), ...load, ...set(0),
          ...i32(0), ...set(1),
          ...block(loop(get(0), get(1), add, load8, eqz, brIf(1), get(1), i32(1), add, set(1), br(0))),
          ...open(get(0), get(1), 0, 2 /* fd_read */),
          ...ifElse([print("cannot open the entry file\n"), i32(1), call("proc_exit")]),
          // read up to 60000 bytes and echo them
          ...i32(IOV), ...i32(4096), ...store, ...i32(IOV + 4), ...i32(60000), ...store,
          ...i32(FD), ...load, ...i32(IOV), ...i32(1), ...i32(COUNT), ...call("fd_read"), ...drop,
          ...i32(COUNT), ...load, ...set(1),
          ...writeCode(1, i32(4096), get(1)),
          ...open(i32(outName), i32(outLen), 1 /* creat */, 64 /* fd_write */),
          ...i32(69), ...eq, ...ifElse([print("create: read-only\n")], [print("create: allowed\n")]),
          ...open(i32(upName), i32(upLen), 0, 2),
          ...i32(76), ...eq, ...ifElse([print("escape: refused\n")], [print("escape: allowed\n")]),
          ...i32(3), ...i32(0), ...i32(FD), ...call("sock_accept"),
          ...i32(58), ...eq, ...ifElse([print("socket: unsupported\n")], [print("socket: allowed\n")]),
          ...i32(0), ...i32(0), ...i32(0), ...call("mystery"),
          ...i32(52), ...eq, ...ifElse([print("unknown import: ENOSYS\n")], [print("unknown import: answered\n")]),
        ];
      },
    ),
  /** `ls`: lists the preopened directory with fd_readdir, one name a line. */
  ls: () =>
    program([[W, "path_open", "path_open"], [W, "fd_readdir", "fd_readdir"], [W, "fd_write", "fd_write"]], ({ call, print, writeCode, open, str }) => {
      const [dot, dotLen] = str(".");
      const [nl] = str("\n");
      return [
        ...open(i32(dot), i32(dotLen), 2 /* directory */, 1 << 14 /* fd_readdir */),
        ...ifElse([print("cannot open .\n")], [
          // fd_readdir(fd, 4096, 8192, cookie 0, COUNT); local 0 walks the dirents, local 1 is the end.
          ...i32(FD), ...load, ...i32(4096), ...i32(8192), ...i64(0), ...i32(COUNT), ...call("fd_readdir"), ...drop,
          ...i32(4096), ...set(0),
          ...i32(4096), ...i32(COUNT), ...load, ...add, ...set(1),
          ...block(loop(
            get(0), get(1), ltU, eqz, brIf(1),
            writeCode(1, [...get(0), ...i32(24), ...add], [...get(0), ...i32(16), ...add, ...load]),
            writeCode(1, i32(nl), i32(1)),
            get(0), i32(24), add, get(0), i32(16), add, load, add, set(0),
            br(0),
          )),
        ]),
      ];
    }),
  /** `spin`: never ends. */
  spin: () => program([[W, "fd_write", "fd_write"]], ({ print }) => [...print("spinning\n"), ...loop(br(0))]),
  /** `flood`: prints forever. */
  flood: () => program([[W, "fd_write", "fd_write"]], ({ print }) => [...loop(print("y\n"), br(0))]),
  /** `grow`: asks for 1000 more pages (62.5 MB) of memory and says whether it got them. */
  grow: () =>
    program([[W, "fd_write", "fd_write"]], ({ print }) => [...i32(1000), 0x40, 0x00, ...i32(-1), ...eq, ...ifElse([print("grow: refused\n")], [print("grow: allowed\n")])]),
  /** `fail`: prints to stderr and exits with code 3. */
  fail: () =>
    program([[W, "fd_write", "fd_write"], [W, "proc_exit", "proc_exit"]], ({ call, writeCode, str }) => {
      const [at, len] = str("something went wrong\n");
      return [...writeCode(2, i32(at), i32(len)), ...i32(3), ...call("proc_exit")];
    }),
};
