// Checks a site written by `novel-events docs` in a real browser (Debian's Chromium, driven
// headless by playwright-core from scripts/interop): every HTML page is opened by its file://
// URL, console errors and warnings, page errors and failed requests are recorded, every
// <a href> (SVG links included) must reach a file that exists and, with a #fragment, an element
// of that page with that id; the search box is used on the index (the row searched for stays,
// another goes) and on an event page (the match is listed and leads to its page); a PNG
// screenshot of the index may be written. Prints one JSON report on standard output.
//
// node check.mjs SITE_DIR --search NAME --hidden OTHER [--screenshot FILE.png]
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const interop = path.resolve(here, "../../../scripts/interop");
const chromiumPath = "/usr/bin/chromium";

function fail(message) {
  process.stderr.write(`check.mjs: ${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const site = args[0] && !args[0].startsWith("--") ? path.resolve(args[0]) : undefined;
const searchName = option("--search");
const hiddenName = option("--hidden");
const screenshot = option("--screenshot");
if (!site || !searchName || !hiddenName) {
  fail("usage: node check.mjs SITE_DIR --search NAME --hidden OTHER [--screenshot FILE.png]");
}
if (!fs.existsSync(path.join(site, "index.html"))) {
  fail(`no index.html in ${site}`);
}

let chromium;
try {
  chromium = createRequire(path.join(interop, "package.json"))("playwright-core").chromium;
} catch (error) {
  fail(`playwright-core is not installed in ${interop}: run \`bash scripts/interop.sh\` (${error.message})`);
}
if (!fs.existsSync(chromiumPath)) {
  fail(`${chromiumPath} is missing: run \`bash scripts/interop.sh\``);
}

function htmlFiles(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      found.push(...htmlFiles(full));
    } else if (entry.name.endsWith(".html")) {
      found.push(full);
    }
  }
  return found.sort();
}

const report = {
  site,
  pages: 0,
  loaded: 0,
  links: 0,
  consoleMessages: [],
  pageErrors: [],
  failedRequests: [],
  brokenLinks: [],
  search: null,
  screenshot: null,
};
const relative = (file) => path.relative(site, file).split(path.sep).join("/");

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  let current = "";
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      report.consoleMessages.push({ page: current, type: message.type(), text: message.text() });
    }
  });
  page.on("pageerror", (error) => report.pageErrors.push({ page: current, text: String(error) }));
  page.on("requestfailed", (request) =>
    report.failedRequests.push({ page: current, url: request.url(), error: request.failure()?.errorText }),
  );
  page.on("dialog", async (dialog) => {
    report.pageErrors.push({ page: current, text: `a dialog opened: ${dialog.message()}` });
    await dialog.dismiss();
  });

  // Every page: loaded, its ids and its links recorded.
  const ids = new Map();
  const links = [];
  const files = htmlFiles(site);
  report.pages = files.length;
  for (const file of files) {
    current = relative(file);
    const response = await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const title = await page.title();
    if (response === null || title === "") {
      report.pageErrors.push({ page: current, text: "the page did not load (no response or no title)" });
      continue;
    }
    report.loaded += 1;
    ids.set(file, new Set(await page.$$eval("[id]", (elements) => elements.map((element) => element.id))));
    const hrefs = await page.$$eval("a", (anchors) =>
      anchors.map((anchor) => anchor.getAttribute("href")).filter((href) => href !== null),
    );
    for (const href of hrefs) {
      links.push({ from: file, href });
    }
  }

  // Every link: a file that exists, and the fragment's element on it.
  report.links = links.length;
  for (const { from, href } of links) {
    const url = new URL(href, pathToFileURL(from));
    if (url.protocol !== "file:") {
      report.brokenLinks.push({ page: relative(from), href, why: "leaves the site" });
      continue;
    }
    const target = fileURLToPath(new URL(url.pathname, url));
    if (!fs.existsSync(target) || !fs.statSync(target).isFile()) {
      report.brokenLinks.push({ page: relative(from), href, why: "no such file" });
      continue;
    }
    const fragment = decodeURIComponent(url.hash.slice(1));
    if (fragment !== "") {
      let targetIds = ids.get(target);
      if (targetIds === undefined) {
        report.brokenLinks.push({ page: relative(from), href, why: "not an HTML page of the site" });
      } else if (!targetIds.has(fragment)) {
        report.brokenLinks.push({ page: relative(from), href, why: `no element with id "${fragment}"` });
      }
    }
  }

  // The search box of the index: the row of the event searched for stays, another goes.
  current = "index.html";
  await page.goto(pathToFileURL(path.join(site, "index.html")).href, { waitUntil: "load" });
  const rowOf = (name) =>
    page.locator("tr[data-search]").filter({ has: page.locator("td:first-child a", { hasText: new RegExp(`^${name}$`) }) });
  const visibleBefore = (await rowOf(searchName).isVisible()) && (await rowOf(hiddenName).isVisible());
  await page.fill("#search", searchName);
  const searchedVisible = await rowOf(searchName).isVisible();
  const otherHidden = !(await rowOf(hiddenName).isVisible());
  const shownRows = await page.locator("tr[data-search]:visible").count();
  await page.fill("#search", "");
  const allBack = (await rowOf(hiddenName).isVisible()) && (await page.locator("tr[data-search]:visible").count()) === (await page.locator("tr[data-search]").count());
  // On another page the box lists the matches as links; the first leads to the event's page.
  const eventPage = files.find((file) => file !== path.join(site, "index.html"));
  let listedOnPage = false;
  let reachedFromPage = false;
  if (eventPage !== undefined) {
    current = relative(eventPage);
    await page.goto(pathToFileURL(eventPage).href, { waitUntil: "load" });
    await page.fill("#search", hiddenName);
    const first = page.locator("#search-results a").first();
    listedOnPage = (await first.isVisible()) && (await first.textContent()).startsWith(`${hiddenName} (`);
    if (listedOnPage) {
      await first.click();
      await page.waitForLoadState("load");
      reachedFromPage = (await page.locator("h1").first().textContent()).startsWith(`${hiddenName} `);
    }
  }
  report.search = {
    query: searchName,
    other: hiddenName,
    visibleBefore,
    searchedVisible,
    otherHidden,
    shownRows,
    allBack,
    listedOnPage,
    reachedFromPage,
  };
  current = "index.html";
  await page.goto(pathToFileURL(path.join(site, "index.html")).href, { waitUntil: "load" });

  if (screenshot) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshot, fullPage: false });
    report.screenshot = screenshot;
  }
  await context.close();
} finally {
  await browser.close();
}
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
