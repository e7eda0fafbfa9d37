  // labbook exercises: the editor block of every `section.lb-exercise`, and `window.labbook.run`,
  // which runs a WASI preview1 module (our Python runner, or a book's own runtime) in a Web Worker.
  //
  // Works from file://: a runtime is a `runtime/<name>.<hash>.js` file loaded with a script tag
  // (fetch is refused there); it registers `self.labbookRuntimes[name] = {encoding: "gzip+base64", wasm}`.
  // The module is decompressed and compiled once per page; every run gets a fresh Worker made
  // from a Blob URL (the worker's source is `workerMain`, as a string), so a run that
  // never ends is simply terminated. Without exercises on the page this file only defines the run API.
  // Without JavaScript the page keeps the static starter code the build rendered.
  //
  // This file is joined from the parts in labbook's crates/labbook-exercises/theme/exercise/ (prelude, worker,
  // runtime, checks, run, highlight, storage, editor, block, main), in that order, inside one
  // function scope. A theme overrides the joined file as a whole: themes/<name>/static/exercise.js.
  "use strict";

  const api = (window.labbook = window.labbook || {});
