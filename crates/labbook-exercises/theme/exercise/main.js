  /* ---------- every exercise block of the page ---------- */
  const sections = document.querySelectorAll("section.lb-exercise");
  const warmers = [];
  for (const section of sections) {
    try {
      const warm = setUp(section);
      if (warm) warmers.push(warm);
    } catch (e) {
      // One broken block must not take the others (or the static view) down.
      console.error(`labbook: exercise ${section.id}: ${e && e.stack ? e.stack : e}`);
    }
  }
  // The first Run should not wait for the runtime: fetch and compile it once the page is idle
  // (within a second and a half at the latest), while the reader reads the instructions.
  if (warmers.length) {
    const whenIdle = window.requestIdleCallback ? (fn) => window.requestIdleCallback(fn, { timeout: 1500 }) : (fn) => setTimeout(fn, 200);
    whenIdle(() => warmers.forEach((warm) => warm()));
  }
