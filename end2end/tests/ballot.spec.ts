// The demo session's secret ballot, as the office, the demo expert and the chair (pool01) use it.
// The two projects share one server, so each run takes the ballot one stage further from where
// the other left it: the first records everyone's attendance (the page then says the quorum is
// met), opens the ballot and votes on the first applicant; the second votes
// on the second applicant, closes the ballot after the tick, and the chair signs the count. A
// missing choice and a second ballot are refused in both runs; axe in both languages.
import { test, expect, type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";

const PASSWORD = "guantong-demo";

async function signIn(page: Page, username: string) {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
}

async function vote(page: Page, url: string) {
  await page.goto(url);
  const form = page.locator('input[name="choice"]');
  if ((await form.count()) === 0) return;
  // No choice: named beside the fieldset and in the summary.
  await page.getByRole("button", { name: "投票", exact: true }).click();
  await expect(page).toHaveTitle(/^错误：/);
  await expect(page.locator(".error-summary")).toContainText("请选择同意、不同意或弃权");
  await page.getByLabel("同意", { exact: true }).check();
  await page.getByRole("button", { name: "投票", exact: true }).click();
  await expect(page.locator("#notice")).toContainText("您的选票已投出");
  await expect(page.locator("#vote-state")).toContainText("您已对这位申报人投票");
  await expect(page.locator('input[name="choice"]')).toHaveCount(0);
}

test("the office opens the ballot at quorum, experts vote once, the chair signs the count", async ({ page, browser, baseURL }, testInfo) => {
  const js = testInfo.project.name === "js";
  await signIn(page, "office");
  await page.goto("/sessions");
  const link = page.locator("#sessions a").first();
  const url = (await link.getAttribute("href"))!;
  const id = url.split("/").pop()!;
  await page.goto(url);
  const dossiers = await page.locator("li[data-dossier]").evaluateAll((items) =>
    items.map((li) => li.getAttribute("data-dossier")!),
  );
  await expect(page.getByRole("heading", { level: 2, name: "投票表决" })).toBeVisible();

  if ((await page.locator("#ballot-open").count()) > 0) {
    // Everyone attends: the quorum line says how many of how many.
    const boxes = page.locator('input[name="attending"]');
    const n = await boxes.count();
    for (let i = 0; i < n; i++) await boxes.nth(i).check();
    await page.getByRole("button", { name: "登记出席" }).click();
    await expect(page.locator("#notice")).toContainText("出席情况已登记");
    await expect(page.locator("#quorum")).toContainText(`出席${n}人，共${n}人`);
    await expect(page.locator("#quorum")).toContainText("已达到法定人数");
    await expectNoAxeViolations(page, testInfo);
    await page.locator("#ballot-open").click();
    await expect(page.locator("#notice")).toContainText("投票已开始");
  }
  await expect(page.locator("#ballot-phase")).not.toContainText("尚未开始投票");

  const context = await browser.newContext({ javaScriptEnabled: js });
  const expert = await context.newPage();
  await signIn(expert, "expert");
  const mine = dossiers.filter((d) => d !== dossiers[dossiers.length - 1]);
  await vote(expert, `/expert/sessions/${id}/dossiers/${mine[js ? 0 : 1]}`);
  await expectNoAxeViolations(expert, testInfo);

  if (!js) {
    // Closing asks for the tick.
    await page.goto(url);
    if ((await page.locator("#ballot-close").count()) > 0) {
      await expect(page.locator("#turnout")).toContainText("已投");
      await page.locator("#ballot-close").click();
      await expect(page.locator(".error-summary")).toContainText("请勾选确认后再结束投票");
      await page.getByLabel("我确认结束投票：结束后不能再投票").check();
      await page.locator("#ballot-close").click();
      await expect(page.locator("#notice")).toContainText("投票已结束");
    }
    await expect(page.locator("#results tbody tr")).toHaveCount(dossiers.length);
    await expectNoAxeViolations(page, testInfo);
    // No late vote: the expert's page says the ballot is closed.
    await expert.goto(`/expert/sessions/${id}/dossiers/${mine[0]}`);
    await expect(expert.locator("#vote-state")).toContainText(/投票已结束|您已对这位申报人投票/);

    // The chair signs from the workspace.
    const chairContext = await browser.newContext({ javaScriptEnabled: js });
    const chair = await chairContext.newPage();
    await signIn(chair, "pool01");
    await chair.goto("/expert");
    const sign = chair.locator(`a[href="/expert/sessions/${id}/result"]`);
    if ((await sign.count()) > 0) {
      await sign.click();
      await expect(chair.getByRole("heading", { level: 1 })).toHaveText("签字确认计票结果");
      await expectNoAxeViolations(chair, testInfo);
      await chair.getByRole("button", { name: "签字确认" }).click();
      await expect(chair.locator(".error-summary")).toContainText("请勾选确认后再签字");
      await chair.getByLabel("我已核对计票结果，签字确认").check();
      await chair.getByRole("button", { name: "签字确认" }).click();
      await expect(chair.locator("#notice")).toContainText("计票结果已签字确认");
    }
    await chair.goto(`/expert/sessions/${id}/result`);
    await expect(chair.locator("#sealed")).toContainText("结果哈希");
    await chair.context().addCookies([{ name: "lang", value: "en", url: baseURL! }]);
    await chair.reload();
    await expect(chair.getByRole("heading", { level: 1 })).toHaveText("Sign the count");
    await expect(chair.locator("#sealed")).toContainText("Result hash");
    await expectNoAxeViolations(chair, testInfo);
    await chairContext.close();
    await page.goto(url);
    await expect(page.locator("#sealed")).toContainText("结果哈希");
    // The archived meeting record, for the office.
    await page.locator("#record-link").click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("会议记录");
    await expect(page.locator("#record-status")).toContainText("存档");
    await expectNoAxeViolations(page, testInfo);
    // The administrator's confirmation page.
    const adminContext = await browser.newContext({ javaScriptEnabled: js });
    const admin = await adminContext.newPage();
    await signIn(admin, "admin");
    await admin.locator("#nav-results").click();
    await expect(admin.getByRole("heading", { level: 1 })).toHaveText("评审结果确认");
    await expectNoAxeViolations(admin, testInfo);
    await adminContext.close();
  }
  await context.close();
});

test("anyone reads the results in publicity and checks a certificate's code", async ({ page, baseURL }, testInfo) => {
  await page.goto("/publicity");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("评审结果公示");
  await expectNoAxeViolations(page, testInfo);
  const unknown = await page.goto("/certificates/NOSUCHCODE22");
  expect(unknown!.status()).toBe(404);
  await expect(page.locator("#verify-status")).toContainText("未找到");
  await expectNoAxeViolations(page, testInfo);
  await page.context().addCookies([{ name: "lang", value: "en", url: baseURL! }]);
  await page.goto("/publicity");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Review results in publicity");
  await expectNoAxeViolations(page, testInfo);
});
