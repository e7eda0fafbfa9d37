// Python errors that teach, in the bundled course in headless Chromium from file://: the
// exercise block links the guide's "Python in this course" page, and `import numpy` or a
// generator function gets the runtime's note (what this course's Python offers instead)
// with that link, under the error.
//
// usage: node python.mjs <course-site>
import fs from "node:fs";
import path from "node:path";
import { Site, assert, check, main, press, setCode, siteDirFromArgs } from "./lib.mjs";

/** Puts `code` in the block's editor, presses Run and returns the error box's text and links. */
async function runCode(page, block, code) {
  await setCode(page, block, code);
  await press(block, "Run");
  const box = block.locator(".lb-ex-error");
  assert((await box.count()) === 1, "an error box");
  return {
    error: await box.locator("pre").first().textContent(),
    note: (await box.locator(".lb-ex-error-note").count()) ? await box.locator(".lb-ex-error-note").textContent() : "",
    links: await box.locator(".lb-ex-error-note a").evaluateAll((as) => as.map((a) => a.href)),
  };
}


export async function run(browser, args) {
  const site = new Site(browser, siteDirFromArgs("python.mjs", args));
  await check(site, "the exercise links Python in this course, and errors explain themselves", async () => {
    const page = await site.open("ml/softmax.html");
    const block = page.locator("section.lb-exercise").first();
    await block.locator(".lb-ed-input").waitFor();
    const guide = block.locator(".lb-ex-toolbar a.lb-ex-guide");
    assert((await guide.textContent()) === "Python in this course", "the widget's link");
    const href = await guide.evaluate((a) => a.href);
    const target = site.relative(href);
    assert(target === "guide/python.html" && fs.existsSync(path.join(site.dir, target)), `the link reaches the guide's page: ${href}`);

    const numpy = await runCode(page, block, "import numpy as np\nprint(np.zeros(3))\n");
    assert(/ModuleNotFoundError: No module named 'numpy'/.test(numpy.error), numpy.error);
    assert(/no `numpy`/.test(numpy.note) && /import tinyml/.test(numpy.note), `the numpy note: ${numpy.note}`);
    assert(numpy.links.length === 1 && site.relative(numpy.links[0]) === "guide/python.html", `the note links the guide: ${numpy.links}`);

    const generator = await runCode(page, block, "def squares(n):\n    for i in range(n):\n        yield i * i\n");
    assert(/NotImplementedError/.test(generator.error), generator.error);
    assert(/instead of yielding/.test(generator.note), `the yield note: ${generator.note}`);

    const inheritance = await runCode(page, block, "class Model:\n    pass\n\nclass Linear(Model):\n    pass\n");
    assert(/without a base class/.test(inheritance.note), `the inheritance note: ${inheritance.note}`);

    // The student's own NotImplementedError is theirs: no note.
    const own = await runCode(page, block, "raise NotImplementedError('write softmax')\n");
    assert(own.note === "", `no note on the reader's own error: ${own.note}`);
    await site.screenshot(page, "python-note");
    // The guide's page exists and says what to write instead.
    await page.goto(site.url("guide/python.html"));
    const text = await page.textContent("main");
    assert(/What does not work, and what to write instead/.test(text) && /tinyml/.test(text), "the guide page");
    return "numpy, yield, inheritance";
  });
}

await main(import.meta.url, "python.mjs", run);
