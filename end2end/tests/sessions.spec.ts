// Review sessions and the expert's workspace: the committee office sees the demo session with
// its drawn group and the draw's record, a session form refused names its fields, the office
// records that the demo expert steps out of one applicant, and the expert then gets the 404 for
// that dossier while scoring the other (a refused assessment names each score). Run with
// JavaScript on and off, axe in both languages.
//
// `seed --demo` files the engineering committee, fills its pool, opens a session of its
// accepted senior dossiers and draws it with the demo `expert` among the members.
import { test, expect, type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";

const PASSWORD = "guantong-demo";

async function signIn(page: Page, username: string) {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
}

/// The demo session's address and its applicants' dossier numbers, from the office's pages.
async function demoSession(page: Page): Promise<{ url: string; id: string; dossiers: string[] }> {
  await page.goto("/sessions");
  const link = page.locator("#sessions a").first();
  const href = (await link.getAttribute("href"))!;
  await link.click();
  const dossiers = await page.locator("li[data-dossier]").evaluateAll((items) =>
    items.map((li) => li.getAttribute("data-dossier")!),
  );
  return { url: href, id: href.split("/").pop()!, dossiers };
}

test("the office sees its session, its draw and its refusals", async ({ page, baseURL }, testInfo) => {
  await signIn(page, "office");
  await page.locator("#nav-sessions").click();
  await expect(page).toHaveURL(/\/sessions$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("评审会议");
  await expectNoAxeViolations(page, testInfo);

  // A form with nothing chosen and a day that is no date: each problem named, title marked.
  await page.getByLabel("会议名称").fill("端到端复评会");
  await page.getByLabel("会议日期").fill("2026-13-01");
  await page.getByRole("button", { name: "召开会议" }).click();
  await expect(page).toHaveTitle(/^错误：/);
  await expect(page.locator(".error-summary")).toContainText("请按“年-月-日”填写会议日期");
  await expect(page.locator(".error-summary")).toContainText("请至少选择一份申报材料");
  await expect(page.getByLabel("会议名称")).toHaveValue("端到端复评会");
  await expectNoAxeViolations(page, testInfo);

  const session = await demoSession(page);
  expect(session.dossiers.length).toBeGreaterThan(0);
  await expect(page.locator("table[data-group] tbody tr")).not.toHaveCount(0);
  await expect(page.getByText("随机种子")).toBeVisible();
  await expect(page.getByText("省纪检监察组 王监督（示例）")).toBeVisible();
  await expectNoAxeViolations(page, testInfo);

  await page.context().addCookies([{ name: "lang", value: "en", url: baseURL! }]);
  await page.goto(session.url);
  await expect(page.getByText("Pool snapshot hash")).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
});

test("an expert scores their dossier and cannot open one they step out of", async ({ page, browser }, testInfo) => {
  // The office records that the demo expert steps out of the session's last applicant (once:
  // the second run finds it recorded).
  await signIn(page, "office");
  const session = await demoSession(page);
  test.skip(session.dossiers.length < 2, "the demo session needs two applicants");
  const [first, last] = [session.dossiers[0], session.dossiers[session.dossiers.length - 1]];
  const recorded = await page.locator("#recusals tr", { hasText: "示例评审专家" }).count();
  if (recorded === 0) {
    await page.getByLabel("专家", { exact: true }).selectOption({ label: "示例评审专家" });
    await page.getByLabel("申报人", { exact: true }).selectOption(last);
    await page.getByLabel("回避事由").selectOption("relative");
    await page.getByRole("button", { name: "登记" }).click();
    await expect(page.locator("#notice")).toContainText("回避已登记");
  }
  await expect(page.locator("#recusals")).toContainText("示例评审专家");

  // A context of its own (axe needs one made with newContext).
  const context = await browser.newContext({ javaScriptEnabled: testInfo.project.name === "js" });
  const expert = await context.newPage();
  await signIn(expert, "expert");
  await expert.locator("#nav-expert").click();
  await expect(expert.getByRole("heading", { level: 1 })).toHaveText("评审工作台");
  await expectNoAxeViolations(expert, testInfo);
  const mine = `/expert/sessions/${session.id}/dossiers/${first}`;
  const gone = `/expert/sessions/${session.id}/dossiers/${last}`;
  await expect(expert.locator(`a[href="${mine}"]`)).toBeVisible();
  await expect(expert.locator(`a[href="${gone}"]`)).toHaveCount(0);
  const refused = await expert.goto(gone);
  expect(refused!.status()).toBe(404);

  // A refused assessment names each problem and keeps what was typed.
  await expert.goto(mine);
  await expect(expert.getByRole("heading", { level: 2, name: "评分" })).toBeVisible();
  await expect(expert.getByRole("heading", { level: 2, name: "申报人的自评回答" })).toBeVisible();
  await expect(expert.locator("#answers")).toContainText("申报地区");
  await expectNoAxeViolations(expert, testInfo);
  // (The other project's run may have saved an opinion: empty it, so both runs see the refusal.)
  await expert.getByLabel("业绩评审").fill("120");
  await expert.getByLabel("评议意见").fill("");
  await expert.getByRole("button", { name: "保存评议" }).click();
  await expect(expert).toHaveTitle(/^错误：/);
  await expect(expert.locator(".error-summary")).toContainText("请填写评议意见");
  await expect(expert.locator(".error-summary")).toContainText("0至100");
  await expect(expert.getByLabel("业绩评审")).toHaveValue("120");
  await expectNoAxeViolations(expert, testInfo);
  await expert.getByLabel("业绩评审").fill("86");
  await expert.getByLabel("面试答辩").fill("79");
  await expert.getByLabel("评议意见").fill("业绩扎实，答辩清楚。");
  await expert.getByRole("button", { name: "保存评议" }).click();
  await expect(expert.locator("#notice")).toContainText("评议已保存");
  await expect(expert.getByLabel("评议意见")).toHaveValue("业绩扎实，答辩清楚。");
  await context.close();
});
