// Runs axe-core on what the user of the current project sees. axe needs JavaScript, so in the
// no-JS project the exact server-rendered HTML of the page is replayed at the same URL in a
// scripting context whose app bundle (pkg/*.js, *.wasm) is blocked: the page stays as a no-JS
// user sees it, with its real stylesheet, and axe can analyse it.
import { expect, type Page, type TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export async function expectNoAxeViolations(page: Page, testInfo: TestInfo): Promise<void> {
  const jsEnabled = testInfo.project.use.javaScriptEnabled !== false;
  let target = page;
  let cleanup = async () => {};
  if (!jsEnabled) {
    const browser = page.context().browser();
    if (!browser) throw new Error("no browser to run axe in");
    const context = await browser.newContext({ javaScriptEnabled: true, locale: "zh-CN" });
    await context.addCookies(await page.context().cookies());
    const url = page.url();
    const html = await page.content();
    await context.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
    await context.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
    target = await context.newPage();
    await target.goto(url);
    cleanup = () => context.close();
  }
  try {
    const results = await new AxeBuilder({ page: target }).analyze();
    expect(results.violations, JSON.stringify(results.violations, null, 2)).toEqual([]);
  } finally {
    await cleanup();
  }
}
