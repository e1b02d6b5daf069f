// The application shell: language, navigation, 404, accessibility of the home page.
import { test, expect } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";

test("home page speaks Chinese by default and links to the self-check", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("技能人才也能评职称");
  await expect(page.getByRole("link", { name: "开始自测" })).toHaveAttribute("href", "/check");
  await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
});

test("English is one click away and remembered", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Switch to English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Skilled workers can seek professional titles");
  // Remembered across pages by the cookie.
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByRole("link", { name: "切换到中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
});

test("an unknown page answers 404 with a way home", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("找不到这个页面");
  await page.getByRole("link", { name: "返回首页" }).click();
  await expect(page).toHaveURL(/\/$/);
});

test("keyboard users can skip to the main content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "跳到主要内容" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
});

for (const lang of ["zh", "en"]) {
  test(`axe finds no violations on the home page (${lang})`, async ({ page, context, baseURL }, testInfo) => {
    await context.addCookies([{ name: "lang", value: lang, url: baseURL! }]);
    await page.goto("/");
    await expectNoAxeViolations(page, testInfo);
  });
  test(`the privacy notice reads in both languages, axe clean (${lang})`, async ({ page, context, baseURL }, testInfo) => {
    await context.addCookies([{ name: "lang", value: lang, url: baseURL! }]);
    await page.goto("/register");
    const link = page.getByRole("link", { name: lang === "zh" ? "阅读《个人信息保护告知》" : "Read the privacy notice" });
    await expect(link).toHaveAttribute("href", "/privacy");
    await page.goto("/privacy");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(lang === "zh" ? "个人信息保护告知" : "Privacy notice");
    await expect(page.locator("#privacy-sensitive")).toBeVisible();
    await expectNoAxeViolations(page, testInfo);
  });
}

test("assets are hashed, precompressed and cached for a year; pages carry a CSP", async ({ page, request }) => {
  const response = await page.goto("/");
  const csp = response?.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'wasm-unsafe-eval'/);
  const css = await page.locator("link#leptos").getAttribute("href");
  expect(css).toMatch(/^\/pkg\/guantong\.[^.]+\.css$/);
  const asset = await request.get(css!, { headers: { "accept-encoding": "br" } });
  expect(asset.status()).toBe(200);
  expect(asset.headers()["cache-control"]).toContain("immutable");
  expect(asset.headers()["content-encoding"]).toBe("br");
});

test("only pages with interactive parts load the wasm", async ({ request }) => {
  // Plain pages (home, sign-in, lists) are server-rendered forms: neither the wasm nor its
  // JavaScript glue is fetched (Leptos's few inline bytes of resource bookkeeping remain).
  for (const path of ["/", "/login", "/register", "/privacy", "/check/verify"]) {
    const html = await (await request.get(path)).text();
    expect(html, path).not.toMatch(/\.wasm|\/pkg\/[^"]+\.js/);
  }
  // The self-check and its result hydrate their islands.
  for (const path of ["/check", "/check/result"]) {
    const html = await (await request.get(path)).text();
    expect(html, path).toMatch(/\/pkg\/[^"]+\.wasm/);
    expect(html, path).toMatch(/\/pkg\/[^"]+\.js/);
  }
});
