  /* ---------- storage: one record per exercise, kept by progress.js under the book's id ---------- */
  // progress.js (window.labbook.progress) keys everything a reader did by the book's id from
  // book.yaml, so moving or copying the site's folder keeps it; it loads before this script.
  // Without it (a theme that drops it) the state lives only as long as the page.
  const progress = (window.labbook && window.labbook.progress) || null;
  function loadState(id) {
    return progress ? progress.get("exercise", id) : {};
  }
  function saveState(id, state) {
    if (progress) progress.set("exercise", id, state);
  }
