  /* ---------- every exercise block of the page ---------- */
  const sections = document.querySelectorAll("section.lb-exercise");
  for (const section of sections) {
    try {
      setUp(section);
    } catch (e) {
      // One broken block must not take the others (or the static view) down.
      console.error(`labbook: exercise ${section.id}: ${e && e.stack ? e.stack : e}`);
    }
  }
