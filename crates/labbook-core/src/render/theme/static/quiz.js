// labbook quizzes (the core's `quiz` directive): checking the reader's answers, and keeping
// them with progress.js (window.labbook.progress, which pages with a quiz load before this
// file). Only pages with a quiz load it; with JavaScript off, a self-study quiz shows its
// answer in a <noscript> panel instead.
(function () {
  "use strict";

  // The theme's words in the page's language (ui.js); the key itself if ui.js is missing.
  const t = (key, vars) => (window.labbook && window.labbook.t ? window.labbook.t(key, vars) : key);

  for (const quiz of document.querySelectorAll(".quiz")) {
    const button = quiz.querySelector(".quiz-check");
    const result = quiz.querySelector(".quiz-result");
    const choices = Array.from(quiz.querySelectorAll(".quiz-choice"));
    const multiple = quiz.dataset.multiple === "true";
    if (!button || !choices.length) continue;
    // The student edition's quiz is saved and handed in, never graded on the page.
    const handin = quiz.dataset.handin === "true";
    button.textContent = t(handin ? "quiz_save_answer" : "quiz_check");

    const inputOf = (choice) => choice.querySelector("input");
    const clear = () => {
      quiz.classList.remove("quiz-passed", "quiz-failed");
      for (const choice of choices) {
        choice.classList.remove("is-correct", "is-incorrect");
        for (const explain of choice.querySelectorAll(".quiz-explain")) explain.hidden = true;
      }
      if (result) {
        result.textContent = "";
        result.classList.remove("is-correct", "is-incorrect");
      }
    };

    // The reader's answer is kept (window.labbook.progress, progress.js) and shown again on reload.
    const progress = window.labbook && window.labbook.progress;
    const chosenValues = () => choices.filter((choice) => inputOf(choice) && inputOf(choice).checked).map((choice) => inputOf(choice).value);
    const remember = (checked, passed) => {
      if (progress && quiz.id) progress.set("quiz", quiz.id, { chosen: chosenValues(), checked, passed: !!passed });
    };

    quiz.addEventListener("change", (event) => {
      const input = event.target;
      if (!input.matches || !input.matches("input")) return;
      // A single-answer quiz stays single-answer even if a theme renders checkboxes.
      if (!multiple && input.checked) {
        for (const choice of choices) {
          const other = inputOf(choice);
          if (other && other !== input) other.checked = false;
        }
      }
      clear();
      remember(false, false);
    });

    /** Marks the chosen answers and says how they did; returns whether they are all right, or null. */
    const grade = () => {
      clear();
      const chosen = choices.filter((choice) => inputOf(choice) && inputOf(choice).checked);
      if (!chosen.length) {
        if (result) result.textContent = multiple ? t("quiz_choose_many") : t("quiz_choose_one");
        return null;
      }
      const isRight = (choice) => choice.dataset.correct === "true";
      let wrong = 0;
      for (const choice of chosen) {
        const right = isRight(choice);
        if (!right) wrong += 1;
        choice.classList.add(right ? "is-correct" : "is-incorrect");
        for (const explain of choice.querySelectorAll(".quiz-explain")) explain.hidden = false;
      }
      const missed = choices.filter((choice) => isRight(choice) && !chosen.includes(choice)).length;
      const passed = wrong === 0 && missed === 0;
      quiz.classList.add(passed ? "quiz-passed" : "quiz-failed");
      if (!result) return passed;
      result.classList.add(passed ? "is-correct" : "is-incorrect");
      if (passed) {
        result.textContent = multiple && chosen.length > 1 ? t("quiz_correct_all", { count: chosen.length }) : t("quiz_correct");
      } else if (!multiple) {
        result.textContent = t("quiz_wrong");
      } else if (wrong > 0) {
        result.textContent = t("quiz_wrong_choices", { count: wrong });
      } else {
        result.textContent = t("quiz_missed", { count: missed });
      }
      return passed;
    };

    // A student edition's quiz has no answers in the page: the choice is saved, handed in with
    // the reader's work and graded then.
    const save = () => {
      clear();
      const chosen = chosenValues();
      if (!chosen.length) {
        if (result) result.textContent = t(multiple ? "quiz_choose_many" : "quiz_choose_one");
        return;
      }
      if (progress && quiz.id) progress.set("quiz", quiz.id, { chosen, answered: true });
      if (result) result.textContent = t("quiz_answer_saved");
    };

    button.addEventListener("click", () => {
      if (handin) return save();
      const passed = grade();
      if (passed !== null) remember(true, passed);
    });

    // Restore the kept answer; a checked one is graded again (not saved again: nothing changed).
    const saved = progress && quiz.id ? progress.get("quiz", quiz.id) : {};
    if (Array.isArray(saved.chosen) && saved.chosen.length) {
      for (const choice of choices) {
        const input = inputOf(choice);
        if (input) input.checked = saved.chosen.includes(input.value);
      }
      if (saved.checked && !handin) grade();
      if (saved.answered && handin && result) result.textContent = t("quiz_answer_saved");
    }
  }
})();
