// Applying for real: self-check → register → dossier → submit; the employer returns it with a
// reason, the applicant fixes and resubmits; the employer approves, publicity runs its working
// days; the committee office accepts it. Run with JavaScript on and off.
import { test, expect, type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";

const PASSWORD = "guantong-demo";

// The server's day for the journey (POST /test/clock pins it): a Monday whose year's holiday
// calendar is loaded, so the publicity's working days count the same whatever day the tests run.
const JOURNEY_DAY = "2026-11-23";

function reviewYears(): number[] {
  // The self-check asks for the three calendar years before the day of the check.
  const y = Number(JOURNEY_DAY.slice(0, 4));
  return [y - 3, y - 2, y - 1];
}

function answers(): string {
  const [a, b, c] = reviewYears();
  return (
    "region=53&has_sl=yes&sl_n=1&sl0_level=technician&sl0_on=2020-06-30&sl0_occ=6-18-01-01" +
    `&has_t=no&work_on=2008-07-01&rev_${a}=pass&rev_${b}=pass&rev_${c}=pass&honour=none&post=none&degree=no`
  );
}

async function signIn(page: Page, username: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

async function signOut(page: Page) {
  await page.locator("#logout").click();
  await expect(page.locator("#nav-login")).toBeVisible();
}

test("a worker applies from the self-check and the dossier goes to the committee", async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  const username = `e2e.${testInfo.project.name.replace(/[^a-z]/g, "")}.${Date.now() % 1_000_000}`;
  const pinned = await request.post("/test/clock", { form: { date: JOURNEY_DAY } });
  expect(await pinned.text()).toBe(JOURNEY_DAY);

  // The result page of the self-check offers to apply; applying asks to sign in or register.
  await page.goto(`/check/result?${answers()}`);
  await page.getByRole("link", { name: "用这些回答开始申报" }).click();
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByRole("link", { name: "注册一个" }).click();
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("姓名或称呼").fill("王建国");
  await page.getByLabel("密码", { exact: true }).fill("short");
  await page.getByLabel("再次输入密码").fill("short");
  await page.getByRole("button", { name: "注册" }).click();
  // Refused with the problem named; what was typed (not the password) is kept.
  await expect(page.getByRole("alert")).toContainText("密码至少需要10个字符");
  await expect(page.getByLabel("用户名")).toHaveValue(username);
  await page.getByLabel("密码", { exact: true }).fill("a long enough password");
  await page.getByLabel("再次输入密码").fill("a long enough password");
  await page.getByLabel("我已阅读并同意《个人信息保护告知》").check();
  await page.getByRole("button", { name: "注册" }).click();

  // Back where they were going: start the draft from the answers.
  await expect(page).toHaveURL(/\/apply\?/);
  await expect(page.getByText("按您的回答，可以申报：")).toBeVisible();
  await page.getByRole("button", { name: "创建申报草稿" }).click();
  await expect(page.locator("#notice")).toContainText("已根据自测回答创建申报草稿");
  await expect(page.getByLabel("职业编码")).toHaveValue("6-18-01-01");
  await expectNoAxeViolations(page, testInfo);

  // Submitting too early names what is missing, beside each field.
  await page.getByLabel("身份证号码", { exact: true }).fill("110105194912310021");
  await page.getByRole("button", { name: "提交申报" }).click();
  await expect(page.getByRole("alert")).toContainText("身份证号码须为18位");
  await expect(page.getByRole("alert")).toContainText("请勾选诚信承诺后再提交");
  await expect(page.getByLabel("身份证号码", { exact: true })).toHaveValue("110105194912310021");

  await page.getByLabel("身份证号码", { exact: true }).fill("11010519491231002X");
  await page.getByLabel("工作单位").selectOption("org-yn-machinery");
  await page.getByLabel("现任岗位").fill("数控车工");
  await page.getByLabel("申报目标").selectOption("skill_ladder.intermediate:engineering");
  await page.getByRole("group", { name: "业绩成果 1" }).getByLabel("类型").selectOption("process_improvement");
  await page.getByRole("group", { name: "业绩成果 1" }).getByLabel("名称").fill("薄壁件车削工艺改进");
  await page.getByRole("group", { name: "业绩成果 1" }).getByLabel("日期").fill("2024-05-20");
  await page.getByRole("group", { name: "业绩成果 1" }).getByLabel("本人角色").fill("主持");
  await page.getByRole("group", { name: "业绩成果 1" }).getByLabel("简要说明").fill("废品率由5%降至1%");
  await page.getByLabel("上传附件").setInputFiles({
    name: "技师证书.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"),
  });
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.locator("#notice")).toContainText("附件已上传");
  await expect(page.locator("#attachment-list")).toContainText("技师证书.pdf");
  await page.getByRole("checkbox", { name: /^诚信承诺/ }).check();
  await page.getByRole("button", { name: "提交申报" }).click();
  await expect(page.locator("#dossier-state")).toHaveText("待单位审核");
  // The receipt in words: the verdict and the rules named, the hash folded away for checking.
  await expect(page.locator("#receipt")).toContainText("核验结论：可申报");
  await expect(page.locator("#receipt")).not.toContainText("eligible");
  await expect(page.locator("#receipt-details code")).toBeHidden();
  await page.locator("#receipt-details summary").click();
  await expect(page.locator("#receipt-details code")).toBeVisible();
  await expect(page.locator("#history li").last()).toContainText("王建国（申报人）");
  // What happens next, and when; and the way back before the employer decides.
  await expect(page.locator("#submitted-panel")).toContainText("单位公示不少于5个工作日");
  await page.getByRole("button", { name: "撤回申报" }).click();
  await expect(page.locator(".error-summary")).toContainText("请先勾选确认撤回");
  await expectNoAxeViolations(page, testInfo);
  await page.getByLabel("我确认撤回本次申报").check();
  await page.getByRole("button", { name: "撤回申报" }).click();
  await expect(page.locator("#notice")).toContainText("申报已撤回");
  await expect(page.locator("#dossier-state")).toHaveText("草稿");
  await page.getByRole("checkbox", { name: /^诚信承诺/ }).check();
  await page.getByRole("button", { name: "提交申报" }).click();
  await expect(page.locator("#dossier-state")).toHaveText("待单位审核");
  const dossierUrl = new URL(page.url());
  const dossierPath = dossierUrl.pathname;
  await signOut(page);

  // The employer's HR finds it in the queue and returns it with a reason for one field.
  await signIn(page, "hr");
  await expect(page).toHaveURL(/\/review/);
  // The queue is the work waiting: what awaits HR, the longest waiting first, with its days.
  await expect(page.locator("#state")).toHaveValue("awaiting");
  for (const state of await page.locator("tr[data-dossier]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-state")))) {
    expect(state).toBe("submitted");
  }
  // The target filter is a choice of the queue's targets by name.
  await expect(page.locator('#target option[value="skill_ladder.intermediate:engineering"]')).toHaveText("工程（工程师）· 技能等级申报职称");
  await page.getByLabel("姓名或编号").fill(dossierPath.split("/").pop()!);
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page.locator("#queue-total")).toContainText("共 1 份");
  await expect(page.locator(`tr[data-dossier="${dossierPath.split("/").pop()}"] td[data-waited]`)).toHaveText("今天送达");
  await page.locator(`a[href="${dossierPath}"]`).first().click();
  await page.getByText("退回并说明理由").click();
  await page.getByLabel("理由：业绩成果").fill("请补充经济效益证明");
  await page.getByRole("button", { name: "退回申报人修改" }).click();
  await expect(page.locator("#dossier-state")).toHaveText("单位退回");
  await signOut(page);

  // The applicant sees what changed on their list, then the reason beside the field, fixes it
  // and resubmits.
  await signIn(page, username, "a long enough password");
  await expect(page.locator("#news li").first()).toContainText("单位退回");
  await expect(page.locator("#news li").first()).toHaveAttribute("data-action", "dossier.employer_return");
  await expectNoAxeViolations(page, testInfo);
  await page.locator(`#next-steps a[href="${dossierPath}"]`).click();
  await expect(page.locator("#return-reasons")).toContainText("请补充经济效益证明");
  await expect(page.getByRole("group", { name: "业绩成果 1" }).getByLabel("名称")).toHaveValue("薄壁件车削工艺改进");
  await page.getByRole("group", { name: "业绩成果 1" }).getByLabel("简要说明").fill("废品率由5%降至1%，年节约材料费12万元");
  await page.getByRole("checkbox", { name: /^诚信承诺/ }).check();
  await page.getByRole("button", { name: "提交申报" }).click();
  await expect(page.locator("#dossier-state")).toHaveText("待单位审核");
  await signOut(page);

  // Approved: the unit publicity runs for five working days.
  await signIn(page, "hr");
  await page.goto(dossierPath);
  // Approving without the tick comes back with the error beside it, and focus on the summary.
  await page.getByRole("button", { name: "同意并开始单位公示" }).click();
  await expect(page.locator("#confirm-error")).toContainText("请先勾选");
  await expect(page.locator("#dossier-state")).toHaveText("待单位审核");
  await page.getByLabel("我已核对申报材料，确认同意").check();
  await page.getByRole("button", { name: "同意并开始单位公示" }).click();
  await expect(page.locator("#dossier-state")).toHaveText("单位公示中");
  await signOut(page);

  // While the publicity runs, the office's button to end it is disabled, and looks it.
  await signIn(page, "office");
  await page.goto(dossierPath);
  const end = page.locator("#end-publicity");
  await expect(end).toBeDisabled();
  await expect(end).toHaveCSS("cursor", "not-allowed");
  await signOut(page);

  // Two calendar weeks later the period is over and the committee office accepts it.
  const moved = await request.post("/test/clock", { form: { days: "14" } });
  expect(moved.ok()).toBeTruthy();
  await signIn(page, "office");
  await page.goto(dossierPath);
  await expect(page.locator("#dossier-state")).toHaveText("形式审查中");
  await page.getByLabel("我已核对申报材料，确认同意").check();
  await page.getByRole("button", { name: "受理，进入评审" }).click();
  await expect(page.locator("#dossier-state")).toHaveText("已受理评审");
  await expect(page.locator("#history")).toContainText("公示期满");
  // Every actor is named the same way: a person by name and part, the system as the system.
  await expect(page.locator('#history li[data-part="system"]')).toContainText("系统");
  await expect(page.locator('#history li[data-part="employer_hr"]').first()).toContainText("（单位人事部门）");
  await expect(page.locator('#history li[data-part="committee_office"]')).toContainText("示例评委会办公室（评委会办公室）");
  await page.goto("/review");
  await expectNoAxeViolations(page, testInfo);
  // Accepted, it no longer awaits the office; every state is one choice away.
  await expect(page.locator(`a[href="${dossierPath}"]`)).toHaveCount(0);
  await page.locator("#state").selectOption("all");
  await page.getByLabel("姓名或编号").fill(dossierPath.split("/").pop()!);
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page.locator(`tr[data-dossier="${dossierPath.split("/").pop()}"]`)).toHaveAttribute("data-state", "accepted_for_review");
});

test.afterEach(async ({ request }) => {
  // Back to the real day, whatever happened, so the next test starts from it.
  expect((await request.post("/test/clock", { form: { reset: "1" } })).ok()).toBeTruthy();
});

test("a draft takes new self-check answers and keeps the rest", async ({ page, request }, testInfo) => {
  const username = `e2e.ans.${testInfo.project.name.replace(/[^a-z]/g, "")}.${Date.now() % 1_000_000}`;
  expect(await (await request.post("/test/clock", { form: { date: JOURNEY_DAY } })).text()).toBe(JOURNEY_DAY);
  await page.goto("/register");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("姓名或称呼").fill("李新");
  await page.getByLabel("密码", { exact: true }).fill("a long enough password");
  await page.getByLabel("再次输入密码").fill("a long enough password");
  await page.getByLabel("我已阅读并同意《个人信息保护告知》").check();
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.locator("#logout")).toBeVisible();

  await page.goto(`/apply?${answers()}`);
  await expect(page.locator("#update-existing")).toHaveCount(0);
  await page.getByRole("button", { name: "创建申报草稿" }).click();
  await expect(page.locator("#notice")).toContainText("已根据自测回答创建申报草稿");
  await page.getByLabel("现任岗位").fill("数控车工");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.locator("#notice")).toContainText("草稿已保存");
  const draft = new URL(page.url()).pathname;
  const id = draft.split("/").pop()!;
  const associateSenior = page.locator('#target option[value="skill_ladder.associate_senior:engineering"]');
  await expect(associateSenior).toContainText("暂不符合");

  // Redone as a senior technician: the result leads to /apply, which offers to update the draft.
  await page.goto(`/apply?${answers().replace("sl0_level=technician", "sl0_level=senior_technician")}`);
  await expect(page.getByRole("heading", { name: "或者：用这些回答更新已有的申报" })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  await page.getByRole("button", { name: `用这些回答更新申报 ${id}` }).click();
  await expect(page).toHaveURL(new RegExp(`${draft}\\?notice=answers_updated`));
  await expect(page.locator("#notice")).toContainText("已用新的自测回答更新这份申报");
  await expect(page.getByLabel("现任岗位")).toHaveValue("数控车工");
  await expect(associateSenior).toContainText("可申报");
});

test("a draft saves itself as you type and survives a reload", async ({ page }, testInfo) => {
  test.skip(testInfo.project.use.javaScriptEnabled === false, "autosave needs JavaScript; without it the Save button does the same");
  const username = `e2e.auto.${Date.now() % 1_000_000}`;
  await page.goto(`/register?next=${encodeURIComponent(`/apply?${answers()}`)}`);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("姓名或称呼").fill("李秀英");
  await page.getByLabel("密码", { exact: true }).fill("a long enough password");
  await page.getByLabel("再次输入密码").fill("a long enough password");
  await page.getByLabel("我已阅读并同意《个人信息保护告知》").check();
  await page.getByRole("button", { name: "注册" }).click();
  await page.getByRole("button", { name: "创建申报草稿" }).click();
  await expect(page.locator("#dossier-state")).toHaveText("草稿");
  const following = page.locator('#autosave-status[data-autosave="on"]');
  await expect(following).toBeAttached();

  // Typing pauses: the draft reaches the server by itself.
  await page.getByLabel("现任岗位").fill("电工班长");
  await expect(page.locator("#autosave-status")).toHaveText("已自动保存。");
  await page.reload();
  await expect(page.getByLabel("现任岗位")).toHaveValue("电工班长");
  await expect(following).toBeAttached();

  // A reload before the save went out: the browser kept it and puts it back.
  await page.getByRole("group", { name: "业绩成果 1" }).getByLabel("名称").fill("配电柜检修规程");
  await page.reload();
  await expect(page.locator("#autosave-status")).toHaveText("已恢复您上次未保存到服务器的修改。");
  await expect(page.getByRole("group", { name: "业绩成果 1" }).getByLabel("名称")).toHaveValue("配电柜检修规程");
  await page.reload();
  await expect(page.getByRole("group", { name: "业绩成果 1" }).getByLabel("名称")).toHaveValue("配电柜检修规程");
});

for (const lang of ["zh", "en"]) {
  test(`axe finds no violations on the account pages (${lang})`, async ({ page, context, baseURL }, testInfo) => {
    await context.addCookies([{ name: "lang", value: lang, url: baseURL! }]);
    for (const path of ["/login?error=invalid&username=wang", "/register?error=password&username=wang"]) {
      await page.goto(path);
      await expectNoAxeViolations(page, testInfo);
    }
  });
}

test("signed-out visitors are sent to sign in, and come back afterwards", async ({ page }) => {
  await page.goto("/review");
  await expect(page).toHaveURL(/\/login\?next=%2Freview/);
  await page.getByLabel("用户名").fill("office");
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/review$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("评委会办公室列表");
  await expect(page.locator("#state-counts")).toBeVisible();
});
