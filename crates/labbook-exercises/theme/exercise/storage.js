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
