  /* ---------- storage: one record per exercise, kept by progress.js under the book's id ---------- */
  // progress.js (window.labbook.progress) keys everything a reader did by the book's id from
  // book.yaml, so moving or copying the site's folder keeps it; it loads before this script.
  // A page without it (a theme that drops it) keeps the record under the same key itself.
  const progress = (window.labbook && window.labbook.progress) || null;
  const ownKey = (id) => `labbook:${document.documentElement.dataset.book || "book"}:exercise:${id}`;
  function loadState(id) {
    if (progress) return progress.get("exercise", id);
    try {
      const value = JSON.parse(window.localStorage.getItem(ownKey(id)) || "null");
      return value && typeof value === "object" ? value : {};
    } catch (e) {
      return {}; // storage disabled: progress is simply not kept
    }
  }
  function saveState(id, state) {
    if (progress) return progress.set("exercise", id, state);
    try {
      window.localStorage.setItem(ownKey(id), JSON.stringify(state));
    } catch (e) {
      /* quota or privacy mode: progress just isn't kept */
    }
  }
