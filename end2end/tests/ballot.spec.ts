// The demo session's secret ballot, as the office, three experts (the demo expert and two pool
// members), the chair (pool01) and the administrator use it. The two projects share one server,
// so each run takes the review one stage further from where the other left it: the first
// records everyone's attendance (the page then says the quorum is met), opens the ballot and
// three experts vote on the first applicant in the browser; the second has the three vote on
// the second applicant, the other members' ballots for the first go in over HTTP (so it can
// pass: 17 of 25 are needed), the office closes the ballot after the tick, the chair signs, the
// office publicises, someone objects on the public page, the office dismisses it, the period
// runs out (the test clock), the administrator confirms, the certificate verifies, and the
// administrator revokes it for fraud. A missing choice and a second ballot are refused in both
// runs; every form's missing part is named; axe in both languages.
import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { request as newRequest } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";

const PASSWORD = "guantong-demo";

async function signIn(page: Page, username: string) {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
}

/** The pool logins (pool01…pool63) that may vote on `dossier` now, and have not yet. */
async function voters(baseURL: string, session: string, dossier: string, wanted: number): Promise<string[]> {
  const found: string[] = [];
  for (let i = 1; i < 64 && found.length < wanted; i++) {
    const username = `pool${String(i).padStart(2, "0")}`;
    const api = await signedIn(baseURL, username);
    const r = await api.get(`/expert/sessions/${session}/dossiers/${dossier}`);
    if (r.ok() && (await r.text()).includes('name="choice"')) found.push(username);
    await api.dispose();
  }
  return found;
}

/** A request context signed in as `username`. */
async function signedIn(baseURL: string, username: string): Promise<APIRequestContext> {
  const api = await newRequest.newContext({ baseURL });
  const r = await api.post("/login", { form: { username, password: PASSWORD }, maxRedirects: 0 });
  expect(r.status(), `sign-in of ${username}`).toBe(303);
  return api;
}

/** Votes 同意 on the page at `url` if the ballot form is there; whether it was. */
async function vote(page: Page, url: string): Promise<boolean> {
  await page.goto(url);
  const form = page.locator('input[name="choice"]');
  if ((await form.count()) === 0) return false;
  // No choice: named beside the fieldset and in the summary.
  await page.getByRole("button", { name: "投票", exact: true }).click();
  await expect(page).toHaveTitle(/^错误：/);
  await expect(page.locator(".error-summary")).toContainText("请选择同意、不同意或弃权");
  await page.getByLabel("同意", { exact: true }).check();
  await page.getByRole("button", { name: "投票", exact: true }).click();
  await expect(page.locator("#notice")).toContainText("您的选票已投出");
  await expect(page.locator("#vote-state")).toContainText("您已对这位申报人投票");
  await expect(page.locator('input[name="choice"]')).toHaveCount(0);
  return true;
}

test("from the ballot to the certificate: quorum, three experts, the chair, publicity, an objection, confirmation, revocation", async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(180_000);
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
  // The demo has two applicants: the first run votes on the first, the second on the last (the
  // demo expert may have stepped out of it by then: the sessions spec records that).
  const mine = dossiers.filter((d) => d !== dossiers[dossiers.length - 1]);
  const target = js ? mine[0] : dossiers[dossiers.length - 1];
  const voted = await vote(expert, `/expert/sessions/${id}/dossiers/${target}`);
  if (voted) await expectNoAxeViolations(expert, testInfo);
  // More members vote in their own browsers, each as themselves: three experts in all.
  const wanted = voted ? 2 : 3;
  const others = await voters(baseURL!, id, target, wanted);
  expect(others, "enough pool members sit in the session").toHaveLength(wanted);
  for (const username of others) {
    const theirs = await browser.newContext({ javaScriptEnabled: js });
    const other = await theirs.newPage();
    await signIn(other, username);
    expect(await vote(other, `/expert/sessions/${id}/dossiers/${target}`)).toBe(true);
    await expectNoAxeViolations(other, testInfo);
    await theirs.close();
  }

  if (!js) {
    // The other members' ballots for the first applicant, over HTTP: every one agrees.
    const rest = await voters(baseURL!, id, mine[0], 63);
    expect(rest.length, "enough ballots left for the pass line").toBeGreaterThanOrEqual(14);
    for (const username of rest) {
      const api = await signedIn(baseURL!, username);
      const r = await api.post(`/expert/sessions/${id}/dossiers/${mine[0]}/ballot`, {
        form: { choice: "agree" },
        maxRedirects: 0,
      });
      expect(r.status(), `${username}'s ballot`).toBe(303);
      await api.dispose();
    }
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
    // The office publicises the passed result; the public page lists it.
    await page.goto(url);
    await page.locator("#results-publicity").click();
    await expect(page.locator("#notice")).toContainText("评审结果已开始公示");
    const visitor = await browser.newContext({ javaScriptEnabled: js });
    const pub = await visitor.newPage();
    await pub.goto("/publicity");
    const row = pub.locator(`#publicity tr[data-dossier="${mine[0]}"]`);
    await expect(row).toHaveCount(1);
    await expectNoAxeViolations(pub, testInfo);
    // Anyone objects: each missing part named, then lodged.
    await row.getByRole("link").click();
    await expect(pub.getByRole("heading", { level: 1 })).toHaveText("对评审结果提出异议");
    await pub.getByRole("button", { name: "提交异议" }).click();
    await expect(pub.locator(".error-summary")).toContainText("请填写异议理由");
    await expect(pub.locator(".error-summary")).toContainText("请填写联系方式");
    await pub.getByLabel("异议理由").fill("申报业绩与本人实际工作不符");
    await pub.getByLabel("联系方式").fill("李先生 13800000000");
    await pub.getByRole("button", { name: "提交异议" }).click();
    await expect(pub.locator("#notice")).toContainText("异议已提交");
    await visitor.close();
    // The office investigates and dismisses it.
    await page.goto(url);
    const objection = page.locator("#objections li[data-status=open]");
    await expect(objection).toContainText("申报业绩与本人实际工作不符");
    await objection.getByLabel("核查情况").fill("经向所在单位核实，业绩属实");
    await objection.getByLabel("处理结果").selectOption("dismissed");
    await objection.getByRole("button", { name: "记录处理结果" }).click();
    await expect(page.locator("#notice")).toContainText("已记录异议处理结果");

    // The period runs out; the administrator confirms, and the certificate is issued.
    const moved = await page.request.post("/test/clock", { form: { days: "20" } });
    expect(moved.ok()).toBeTruthy();
    const adminContext = await browser.newContext({ javaScriptEnabled: js });
    const admin = await adminContext.newPage();
    await signIn(admin, "admin");
    await admin.locator("#nav-results").click();
    await expect(admin.getByRole("heading", { level: 1 })).toHaveText("评审结果确认");
    await expectNoAxeViolations(admin, testInfo);
    await admin.getByRole("button", { name: "确认公示期满的评审结果" }).click();
    await expect(admin.locator("#notice")).toContainText("已确认");
    await admin.goto(`/dossiers/${mine[0]}`);
    await expect(admin.locator("#dossier-state")).toHaveAttribute("data-state", "certified");
    await admin.locator("#certificate-link").click();
    await expect(admin.getByRole("heading", { level: 1 })).toHaveText("电子职称证书");
    await expect(admin.locator(".qr svg")).toHaveCount(1);
    await expectNoAxeViolations(admin, testInfo);
    const code = (await admin.locator("#certificate-code").textContent())!.trim();
    await admin.goto(`/certificates/${code}`);
    await expect(admin.locator("#verify-status")).toHaveAttribute("data-status", "valid");

    // Found obtained by fraud, it is revoked: the form names what is missing first.
    await admin.goto("/admin/results");
    await admin.locator("#certificates-link").click();
    await expect(admin.getByRole("heading", { level: 1 })).toHaveText("电子职称证书");
    await expectNoAxeViolations(admin, testInfo);
    await admin.getByRole("link", { name: /^查看/ }).first().click();
    await admin.getByRole("button", { name: "撤销证书" }).click();
    await expect(admin.locator(".error-summary")).toContainText("请填写撤销理由");
    await expect(admin.locator(".error-summary")).toContainText("请勾选确认后再撤销");
    await expectNoAxeViolations(admin, testInfo);
    await admin.getByLabel("撤销理由").fill("业绩证明材料系伪造");
    await admin.getByLabel("我确认上述事实已经查实，撤销该证书").check();
    await admin.getByRole("button", { name: "撤销证书" }).click();
    await expect(admin.locator("#notice")).toContainText("证书已撤销");
    await expect(admin.locator("#revocation")).toContainText("业绩证明材料系伪造");
    await admin.goto(`/certificates/${code}`);
    await expect(admin.locator("#verify-status")).toHaveAttribute("data-status", "revoked");
    await adminContext.close();
    expect((await page.request.post("/test/clock", { form: { reset: "1" } })).ok()).toBeTruthy();
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
