// Python errors that teach, in the bundled course in headless Chromium from file://: the
// exercise block links the guide's "Python in this course" page, `import pandas` or another
// missing module gets the runtime's note (what this course's Python offers instead) with that
// link, under the error; the course's numpy, classes with bases, generators and big lists run
// in the page.
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

    const pandas = await runCode(page, block, "import pandas as pd\n");
    assert(/ModuleNotFoundError: No module named 'pandas'/.test(pandas.error), pandas.error);
    assert(/no `pandas`/.test(pandas.note) && /import tinyml/.test(pandas.note), `the pandas note: ${pandas.note}`);
    assert(pandas.links.length === 1 && site.relative(pandas.links[0]) === "guide/python.html", `the note links the guide: ${pandas.links}`);

    // numpy runs in the page, operators and all, and prints as numpy does.
    await setCode(page, block, "import numpy as np\nX = np.arange(6).reshape(2, 3)\nprint(X @ np.ones(3), (X > 2).sum(axis=1))\n");
    await press(block, "Run");
    const out = await block.locator(".lb-ex-stdout pre").textContent();
    assert(out === "[ 3. 12.] [0 3]\n", `numpy's output in the page: ${JSON.stringify(out)}`);
    const outside = await runCode(page, block, "import numpy as np\nnp.fft.fft([1.0])\n");
    assert(/NotImplementedError: numpy.fft is not in this course's numpy/.test(outside.error), outside.error);

    // The default runtime is RustPython: a class with a base, a generator and 40,000
    // references to one object (past the 32,767 that crashed RustPython 0.5.0 before labbook's
    // refcount edit) run in the page.
    await setCode(
      page,
      block,
      "class Model:\n    def __init__(self):\n        self.n = 3\n\nclass Linear(Model):\n    pass\n\n" +
        "def squares(n):\n    for i in range(n):\n        yield i * i\n\n" +
        "xs = [0] * 40000\nprint(list(squares(Linear().n)), len(xs), xs.count(0))\n",
    );
    await press(block, "Run");
    const ran = await block.locator(".lb-ex-stdout pre").textContent();
    assert(ran === "[0, 1, 4] 40000 40000\n", `a class with a base, a generator and [0] * 40000: ${JSON.stringify(ran)}`);

    // The student's own NotImplementedError is theirs: no note.
    const own = await runCode(page, block, "raise NotImplementedError('write softmax')\n");
    assert(own.note === "", `no note on the reader's own error: ${own.note}`);
    await site.screenshot(page, "python-note");
    // The guide's page exists and says what to write instead.
    await page.goto(site.url("guide/python.html"));
    const text = await page.textContent("main");
    assert(/What does not work, and what to write instead/.test(text) && /tinyml/.test(text), "the guide page");
    return "pandas, numpy, yield, inheritance, [0] * 40000";
  });
}

await main(import.meta.url, "python.mjs", run);
