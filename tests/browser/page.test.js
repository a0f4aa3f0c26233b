// The page of `statlint serve` in a real browser (issue 16): headless Debian Chromium driven by
// playwright-core. Pastes the seed and checks that the highlighted elements cover exactly
// `8亿余万元` and `2亿余万元`, follows a finding to its figures, uploads a .docx and a damaged
// one, checks that the page asks nothing of any other host, and keeps screenshots under
// target/browser/ for a person to look at.
//
// Usage: node page.test.js PATH/TO/statlint   (scripts/test-browser runs it)
"use strict";

const { chromium } = require("playwright-core");
const { spawn } = require("child_process");
const assert = require("assert/strict");
const fs = require("fs");
const path = require("path");

const repo = path.resolve(__dirname, "..", "..");
const binary = process.argv[2] || path.join(repo, "target", "debug", "statlint");
const shots = path.join(process.env.CARGO_TARGET_DIR || path.join(repo, "target"), "browser");

function serve() {
  return new Promise((resolve, reject) => {
    const server = spawn(binary, ["serve", "--port", "0"], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    server.stderr.on("data", (chunk) => {
      err += chunk;
      const found = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(err);
      if (found) { resolve({ server, base: found[0] }); }
    });
    server.on("exit", (code) => reject(new Error(`statlint serve exited (${code}): ${err}`)));
  });
}

async function marks(page) {
  return page.$$eval("#result mark.statlint-figure", (ms) => ms.map((m) => m.textContent));
}

async function main() {
  fs.mkdirSync(shots, { recursive: true });
  const { server, base } = await serve();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const elsewhere = [];
    page.on("request", (r) => { if (!r.url().startsWith(base)) { elsewhere.push(r.url()); } });
    await page.goto(base);
    assert.equal(await page.title(), "statlint 数字一致性检查");

    // Paste the seed and check.
    const seed = fs.readFileSync(path.join(repo, "fixtures", "xianning-725-campaign.txt"), "utf8");
    await page.fill("#text", seed);
    await page.click("#check");
    await page.waitForSelector("#result .statlint-summary");
    assert.deepEqual(await marks(page), ["8亿余万元", "2亿余万元"]);
    assert.equal(await page.textContent("#result .statlint-summary"), "发现2处问题");
    assert.equal(await page.locator("#result .statlint-findings li").count(), 2);
    // The page shows the text as it was pasted.
    assert.equal(await page.textContent("#result .statlint-text"), seed);

    // A click on the second finding marks its figure, and only that one.
    await page.click("#result .statlint-findings li:nth-child(2) .statlint-message");
    const flashed = await page.$$eval("#result mark.flash", (ms) => ms.map((m) => m.textContent));
    assert.deepEqual(flashed, ["2亿余万元"]);
    // The figure's link in the list jumps to the figure.
    await page.click("#result .statlint-findings li:nth-child(2) a.statlint-jump");
    assert.equal(new URL(page.url()).hash, "#f1-m1");
    await page.locator("#f1-m0").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, "seed.png"), fullPage: false });

    // A clean text.
    await page.fill("#text", "全市共有12个派出所。");
    await page.click("#check");
    await page.waitForFunction(() => document.querySelector("#result .statlint-summary")?.textContent === "未发现数字矛盾");
    assert.deepEqual(await marks(page), []);

    // Upload a .docx: the figure in its table cell.
    await page.setInputFiles("#file", path.join(repo, "fixtures", "office", "table.docx"));
    await page.waitForFunction(() => document.querySelector("#result h2")?.textContent === "table.docx");
    assert.deepEqual(await marks(page), ["8亿余万元"]);
    assert.match(await page.textContent("#result .statlint-where"), /表1第3行第2列/);
    await page.screenshot({ path: path.join(shots, "docx.png"), fullPage: true });

    // A damaged .docx: the message, in Chinese and English, instead of a view.
    await page.setInputFiles("#file", path.join(repo, "fixtures", "office", "entity-declarations.docx"));
    await page.waitForSelector("#result .statlint-error");
    const error = await page.textContent("#result .statlint-error");
    assert.match(error, /无法读取此\.docx文件/);
    assert.match(error, /cannot read this \.docx file/);
    await page.screenshot({ path: path.join(shots, "damaged.png") });

    assert.deepEqual(elsewhere, [], "the page fetches nothing from another host");
    console.log(`browser test: all checks passed; screenshots in ${shots}`);
  } finally {
    await browser.close();
    server.kill();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
