//! The wasmtime sandbox: runs one WASI preview1 command module with hard limits.
//!
//! The guest gets no environment, no network, no preopened directory (unless the caller
//! hands it a read-only one), only the arguments given, stdin from memory and capped
//! in-memory stdout and stderr. Time is bounded twice: an epoch deadline driven by a ticker
//! thread (wall clock) and fuel (a deterministic instruction budget, in case the ticker is
//! starved). Memory is capped by a [`ResourceLimiter`], the native stack by
//! `max_wasm_stack`. Whatever the guest does, the run ends as an [`Outcome`]; a kill is
//! a [`Stopped`] reason, never a panic or an error of labbook.
//!
//! Compiling a module is slow (seconds for the Python runner), so compiled code is kept in
//! a cache folder shared by every book on the machine (see [`cache_dir`]) and in memory
//! for the life of the process.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use sha2::{Digest, Sha256};
use wasmtime::{Config, Engine, InstancePre, Linker, Module, ResourceLimiter, Store, Trap};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

/// How often the ticker thread advances the engine's epoch.
const TICK: Duration = Duration::from_millis(10);
/// Fuel per millisecond of the time limit. Compiled wasm runs well under a billion
/// instructions per second per core here, so the wall-clock deadline normally decides;
/// fuel only bounds a run whose ticker cannot get the CPU.
const FUEL_PER_MS: u64 = 5_000_000;
/// Native stack the guest may use. Threads that run guests need more than this
/// (see [`GUEST_THREAD_STACK`]).
pub const MAX_WASM_STACK: usize = 1 << 20;
/// Stack size for threads that run guests: the wasm stack plus room for the host.
pub const GUEST_THREAD_STACK: usize = 8 << 20;

/// A WebAssembly module to run, identified by the SHA-256 of its bytes.
#[derive(Clone)]
pub struct WasmModule {
    /// A short name for messages (`python`).
    pub name: String,
    /// The module's bytes.
    pub bytes: ModuleBytes,
    /// SHA-256 of `bytes`.
    pub sha256: [u8; 32],
}

/// A module's bytes: a built-in runtime's, in labbook's own binary, or a module read from a
/// file. A built-in runtime is used where it lies: copying its megabytes into the heap cost
/// every build of a book with notebooks several milliseconds on one core, though most builds
/// only name the runtime's asset and never run it.
#[derive(Clone)]
pub enum ModuleBytes {
    /// Bytes built into labbook.
    BuiltIn(&'static [u8]),
    /// Bytes read at run time, shared by the module's clones.
    Loaded(Arc<[u8]>),
}

impl std::ops::Deref for ModuleBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            ModuleBytes::BuiltIn(bytes) => bytes,
            ModuleBytes::Loaded(bytes) => bytes,
        }
    }
}

impl AsRef<[u8]> for ModuleBytes {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl From<&'static [u8]> for ModuleBytes {
    fn from(bytes: &'static [u8]) -> ModuleBytes {
        ModuleBytes::BuiltIn(bytes)
    }
}

impl From<Vec<u8>> for ModuleBytes {
    fn from(bytes: Vec<u8>) -> ModuleBytes {
        ModuleBytes::Loaded(bytes.into())
    }
}

impl From<Arc<[u8]>> for ModuleBytes {
    fn from(bytes: Arc<[u8]>) -> ModuleBytes {
        ModuleBytes::Loaded(bytes)
    }
}

impl WasmModule {
    /// Wraps module bytes and hashes them.
    pub fn new(name: &str, bytes: impl Into<ModuleBytes>) -> WasmModule {
        let bytes = bytes.into();
        let sha256 = Sha256::digest(&*bytes).into();
        WasmModule { name: name.to_string(), bytes, sha256 }
    }

    /// Wraps module bytes whose SHA-256 is known already (a built-in runtime's, hashed when
    /// labbook was built).
    pub fn with_sha256(name: &str, bytes: impl Into<ModuleBytes>, sha256: [u8; 32]) -> WasmModule {
        WasmModule { name: name.to_string(), bytes: bytes.into(), sha256 }
    }

    /// The hash in hex.
    pub fn hex(&self) -> String {
        hex(&self.sha256)
    }
}

impl std::fmt::Debug for WasmModule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WasmModule({}, {} bytes, {})", self.name, self.bytes.len(), &self.hex()[..12])
    }
}

/// Limits of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunLimits {
    /// Wall-clock time.
    pub time_ms: u64,
    /// Linear memory, in bytes.
    pub memory_bytes: u64,
    /// Bytes kept of stdout; writing more stops the run.
    pub stdout_bytes: u64,
    /// Bytes kept of stderr; writing more stops the run.
    pub stderr_bytes: u64,
}

/// One run: what the guest sees.
pub struct Invocation<'a> {
    /// `argv`, the program name first.
    pub args: &'a [String],
    /// Everything stdin will yield.
    pub stdin: Vec<u8>,
    /// A host folder preopened read-only as `.`, if any.
    pub preopen: Option<&'a Path>,
    /// The limits.
    pub limits: RunLimits,
}

/// Why a run was killed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Stopped {
    /// The epoch deadline or the fuel ran out.
    #[error("time limit of {} exceeded", format_ms(*.0))]
    Time(u64),
    /// The guest asked for more linear memory than allowed.
    #[error("memory limit of {} exceeded", format_bytes(*.0))]
    Memory(u64),
    /// The guest wrote more than allowed to stdout or stderr.
    #[error("output limit of {} exceeded", format_bytes(*.0))]
    Output(u64),
    /// The guest's call stack overflowed (unbounded recursion).
    #[error("stack limit exceeded (too deep recursion)")]
    Stack,
    /// Any other trap (`unreachable`, an out-of-bounds access, a Rust panic in the runtime).
    #[error("the runtime crashed: {0}")]
    Crash(String),
}

/// How a run ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Captured stdout (at most the limit).
    pub stdout: Vec<u8>,
    /// Captured stderr (at most the limit).
    pub stderr: Vec<u8>,
    /// The exit status (0 when `_start` returned), unless the run was stopped.
    pub exit_code: Option<i32>,
    /// Why the run was killed, if it was.
    pub stopped: Option<Stopped>,
    /// Wall time of the run (instantiation included).
    pub duration: Duration,
}

/// What the store holds for one run.
struct GuestState {
    wasi: WasiP1Ctx,
    memory: MemoryCap,
}

/// Caps linear memory and remembers that the cap was hit, so the trap it causes is reported
/// as a memory limit rather than a crash.
struct MemoryCap {
    limit: u64,
    hit: bool,
}

/// The error a denied growth raises inside the guest.
#[derive(Debug, thiserror::Error)]
#[error("memory limit of {} exceeded", format_bytes(*.0))]
struct MemoryDenied(u64);

impl ResourceLimiter for MemoryCap {
    fn memory_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired as u64 > self.limit {
            self.hit = true;
            // An error, not `Ok(false)`: a failed `memory.grow` would let the guest limp on
            // (or abort with a vague message); trapping ends it with a clear reason.
            return Err(wasmtime::Error::new(MemoryDenied(self.limit)));
        }
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        // Tables cost a pointer per element; a million is far more than any runtime needs.
        Ok(desired <= 1_000_000)
    }

    fn instances(&self) -> usize {
        1
    }

    fn memories(&self) -> usize {
        1
    }
}

/// The process's one engine, linker and compiled modules.
pub struct Sandbox {
    engine: Engine,
    linker: Linker<GuestState>,
    cache: Option<PathBuf>,
    modules: Mutex<HashMap<[u8; 32], InstancePre<GuestState>>>,
}

/// The process-wide sandbox (one engine and one ticker thread, shared by every run).
pub fn global() -> Result<&'static Sandbox> {
    static SANDBOX: OnceLock<std::result::Result<Sandbox, String>> = OnceLock::new();
    SANDBOX
        .get_or_init(|| Sandbox::new(cache_dir()).map_err(|e| format!("{e:#}")))
        .as_ref()
        .map_err(|e| anyhow::anyhow!("cannot start the WebAssembly sandbox: {e}"))
}

impl Sandbox {
    /// A sandbox whose compiled modules are cached in `cache` (none: compile every time).
    pub fn new(cache: Option<PathBuf>) -> Result<Sandbox> {
        let mut config = Config::new();
        config.consume_fuel(true);
        config.epoch_interruption(true);
        config.max_wasm_stack(MAX_WASM_STACK);
        let engine = Engine::new(&config).map_err(wasm_error).context("configuring wasmtime")?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |s: &mut GuestState| &mut s.wasi)
            .map_err(wasm_error)
            .context("linking WASI")?;
        let ticker = engine.weak();
        // The ticker ends with the engine; the engine lives as long as the process in practice.
        std::thread::Builder::new()
            .name("labbook-epoch".into())
            .spawn(move || loop {
                std::thread::sleep(TICK);
                match ticker.upgrade() {
                    Some(engine) => engine.increment_epoch(),
                    None => break,
                }
            })
            .context("starting the sandbox's clock thread")?;
        Ok(Sandbox { engine, linker, cache, modules: Mutex::new(HashMap::new()) })
    }

    /// Compiles `module` (or loads it from the cache) and links it, once per process.
    fn prepare(&self, module: &WasmModule) -> Result<InstancePre<GuestState>> {
        if let Some(pre) = self.modules.lock().expect("module map").get(&module.sha256) {
            return Ok(pre.clone());
        }
        let compiled = self.load_or_compile(module)?;
        let pre = self
            .linker
            .instantiate_pre(&compiled)
            .map_err(wasm_error)
            .with_context(|| format!("the `{}` runtime needs imports labbook does not offer", module.name))?;
        self.modules.lock().expect("module map").insert(module.sha256, pre.clone());
        Ok(pre)
    }

    /// The compiled module, from the cache folder when it holds a compatible build.
    fn load_or_compile(&self, module: &WasmModule) -> Result<Module> {
        let Some(dir) = &self.cache else {
            return Module::new(&self.engine, &module.bytes)
                .map_err(wasm_error)
                .with_context(|| format!("compiling the `{}` runtime", module.name));
        };
        let path = dir.join(format!("{}.cwasm", self.cache_key(module)));
        if path.is_file() {
            // SAFETY: the file was written by `Module::serialize` of an engine with the same
            // wasmtime version and compatibility hash (both are in its name), into a folder of
            // the user's own cache; wasmtime also checks the header before using it.
            match unsafe { Module::deserialize_file(&self.engine, &path) } {
                Ok(m) => return Ok(m),
                // A truncated or foreign file: compile again and replace it.
                Err(_) => {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        let compiled = Module::new(&self.engine, &module.bytes)
            .map_err(wasm_error)
            .with_context(|| format!("compiling the `{}` runtime", module.name))?;
        // A cache that cannot be written only costs the next run the compile time.
        if let Ok(bytes) = compiled.serialize() {
            let _ = write_atomically(dir, &path, &bytes);
        }
        Ok(compiled)
    }

    /// Names a compiled module: wasmtime's version, the engine settings' hash and the module's hash.
    pub fn cache_key(&self, module: &WasmModule) -> String {
        use std::hash::Hash;
        let mut hasher = ShaHasher(Sha256::new());
        self.engine.precompile_compatibility_hash().hash(&mut hasher);
        let engine_hash = hasher.0.finalize();
        format!("wasmtime-{}-{}-{}", wasmtime_version(), &hex(&engine_hash)[..16], module.hex())
    }

    /// Compiles `module` ahead of time into the cache (for benchmarks and warm-up).
    pub fn warm(&self, module: &WasmModule) -> Result<()> {
        self.prepare(module).map(|_| ())
    }

    /// Runs `module` once. `Err` only when the module cannot be compiled or linked (a broken
    /// runtime); everything the guest does ends in an [`Outcome`].
    pub fn run(&self, module: &WasmModule, invocation: &Invocation) -> Result<Outcome> {
        let pre = self.prepare(module)?;
        let limits = invocation.limits;
        let stdout = MemoryOutputPipe::new(pipe_capacity(limits.stdout_bytes));
        let stderr = MemoryOutputPipe::new(pipe_capacity(limits.stderr_bytes));
        let mut wasi = WasiCtxBuilder::new();
        wasi.stdin(MemoryInputPipe::new(invocation.stdin.clone()))
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            .args(invocation.args)
            .allow_blocking_current_thread(true);
        if let Some(dir) = invocation.preopen {
            wasi.preopened_dir(dir, ".", FsPerms::ReadOnly)
                .map_err(wasm_error)
                .with_context(|| format!("opening {} for the guest", dir.display()))?;
        }
        let state = GuestState { wasi: wasi.build_p1(), memory: MemoryCap { limit: limits.memory_bytes, hit: false } };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.memory);
        store.set_fuel(limits.time_ms.saturating_mul(FUEL_PER_MS)).map_err(wasm_error)?;
        store.set_epoch_deadline(limits.time_ms.div_ceil(TICK.as_millis() as u64).max(1));

        let started = Instant::now();
        let result = pre.instantiate(&mut store).and_then(|instance| {
            let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
            start.call(&mut store, ())
        });
        let duration = started.elapsed();
        let memory_hit = store.data().memory.hit;
        drop(store);

        let (mut stdout, mut stderr) = (stdout.contents().to_vec(), stderr.contents().to_vec());
        let over = stdout.len() as u64 > limits.stdout_bytes || stderr.len() as u64 > limits.stderr_bytes;
        stdout.truncate(limits.stdout_bytes as usize);
        stderr.truncate(limits.stderr_bytes as usize);
        let (exit_code, stopped) = match result {
            // Output first: a guest that hits the cap may then trap or spin on failed writes.
            _ if over => (None, Some(Stopped::Output(limits.stdout_bytes.max(limits.stderr_bytes)))),
            Ok(()) => (Some(0), None),
            Err(e) => classify(e, limits, memory_hit),
        };
        Ok(Outcome { stdout, stderr, exit_code, stopped, duration })
    }
}

/// Turns a run's error into an exit status or a stop reason.
fn classify(e: wasmtime::Error, limits: RunLimits, memory_hit: bool) -> (Option<i32>, Option<Stopped>) {
    if let Some(exit) = e.downcast_ref::<I32Exit>() {
        return (Some(exit.0), None);
    }
    if memory_hit || e.downcast_ref::<MemoryDenied>().is_some() {
        return (None, Some(Stopped::Memory(limits.memory_bytes)));
    }
    let stopped = match e.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel) | Some(Trap::Interrupt) => Stopped::Time(limits.time_ms),
        Some(Trap::StackOverflow) => Stopped::Stack,
        Some(trap) => Stopped::Crash(trap.to_string()),
        None => Stopped::Crash(e.to_string()),
    };
    (None, Some(stopped))
}

/// Room beyond the limit for one more write: WASI p1 writes reach the pipe in chunks of at
/// most 4 KiB, so any write that crosses the limit leaves more than `limit` bytes behind
/// (and is then reported as over the limit) instead of failing unnoticed at the edge.
fn pipe_capacity(limit: u64) -> usize {
    usize::try_from(limit).unwrap_or(usize::MAX / 2).saturating_add(4096)
}

/// wasmtime 48 has its own error type; keep its message and causes in an `anyhow` chain.
fn wasm_error(e: wasmtime::Error) -> anyhow::Error {
    let causes: Vec<String> = e.chain().map(|c| c.to_string()).collect();
    anyhow::anyhow!(causes.join(": "))
}

/// The folder for compiled modules, shared by every book: `$LABBOOK_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/labbook`, else `~/.cache/labbook`; `None` without a home.
pub fn cache_dir() -> Option<PathBuf> {
    let nonempty = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    nonempty("LABBOOK_CACHE_DIR")
        .or_else(|| nonempty("XDG_CACHE_HOME").map(|d| d.join("labbook")))
        .or_else(|| nonempty("HOME").map(|h| h.join(".cache").join("labbook")))
}

/// Writes `path` through a temporary file in the same folder and a rename, so concurrent
/// processes never see a half-written module.
fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The wasmtime version labbook was built with (part of the cache key).
pub fn wasmtime_version() -> &'static str {
    "48.0.8"
}

/// Feeds `Hash` output into SHA-256, so the engine's compatibility hash is stable on disk.
struct ShaHasher(Sha256);

impl std::hash::Hasher for ShaHasher {
    fn finish(&self) -> u64 {
        unreachable!("only the SHA-256 state is used")
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `2000` -> `2 s`, `500` -> `500 ms`, `1500` -> `1.5 s`.
pub fn format_ms(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{} s", ms as f64 / 1000.0)
    }
}

/// `67108864` -> `64 MB`, `65536` -> `64 KB` (binary multiples, as the limits are written).
pub fn format_bytes(bytes: u64) -> String {
    for (unit, size) in [("GB", 1u64 << 30), ("MB", 1 << 20), ("KB", 1 << 10)] {
        if bytes >= size && bytes.is_multiple_of(size) {
            return format!("{} {unit}", bytes / size);
        }
    }
    if bytes >= 1 << 20 {
        return format!("{:.1} MB", bytes as f64 / (1u64 << 20) as f64);
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_reasons_read_well() {
        assert_eq!(Stopped::Time(2000).to_string(), "time limit of 2 s exceeded");
        assert_eq!(Stopped::Time(1500).to_string(), "time limit of 1.5 s exceeded");
        assert_eq!(Stopped::Memory(64 << 20).to_string(), "memory limit of 64 MB exceeded");
        assert_eq!(Stopped::Output(64 << 10).to_string(), "output limit of 64 KB exceeded");
    }
}
