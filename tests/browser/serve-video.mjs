// A `<video>` in a lesson seeks under `labbook serve` (byte ranges, 206): Chromium plays the
// page's WebM clip, the script seeks to 4.5 s, and the element must land there and play on.
//
//   node tests/browser/serve-video.mjs <server-url> <book-root>
//
// The book's `content/video.md` shows `media/clip.webm` (tests/fixtures/media, 6 s of VP8)
// in a `<video id="clip">`. Prints one line per check; exits 0 when all pass.
import { assert, check, main, until } from "./lib.mjs";
import { ServedSite } from "./serve.mjs";

const WAIT = 20000;

export async function run(browser, args) {
  const [base, root] = args;
  if (!base || !root) {
    console.error("usage: node serve-video.mjs <server-url> <book-root>");
    process.exit(2);
  }
  const site = new ServedSite(browser, base, root);
  const page = await site.open("video.html");
  const state = () =>
    page.evaluate(() => {
      const v = document.getElementById("clip");
      return { ready: v.readyState, duration: v.duration, time: v.currentTime, error: v.error && v.error.code };
    });

  await check(site, "Chromium loads the served WebM clip", async () => {
    await until(async () => (await state()).ready >= 1, "the clip never loaded its metadata", WAIT);
    const s = await state();
    assert(s.error === null, `media error ${s.error}`);
    assert(Math.abs(s.duration - 6) < 0.2, `duration ${s.duration}, expected 6 s`);
  });

  await check(site, "seeking lands where asked and the clip plays on from there", async () => {
    const seeked = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const v = document.getElementById("clip");
          v.muted = true;
          v.addEventListener("seeked", () => resolve(v.currentTime), { once: true });
          v.currentTime = 4.5;
        }),
    );
    assert(Math.abs(seeked - 4.5) < 0.15, `currentTime after seeking to 4.5 s is ${seeked}`);
    await page.evaluate(() => document.getElementById("clip").play());
    await until(async () => (await state()).time > 4.7, "the clip did not play on after the seek", WAIT);
    const s = await state();
    assert(s.time >= 4.5, `the clip went back to ${s.time} s`);
    const ranged = site.requests.filter((url) => url.endsWith("media/clip.webm"));
    assert(ranged.length >= 1, `the clip was never requested: ${site.requests.join(", ")}`);
  });
}

await main(import.meta.url, "serve-video.mjs", run);
