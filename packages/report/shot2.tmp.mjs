import { chromium } from "playwright-core";
const [file, out, sel] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu"] });
const p = await b.newPage({ viewport: { width: 1280, height: 900 } });
await p.goto("file://" + file);
await p.waitForFunction('document.documentElement.getAttribute("data-charts") === "done"', undefined, { timeout: 120000 });
await p.locator(sel).screenshot({ path: out });
await b.close();
