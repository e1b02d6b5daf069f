// Committees and their expert pools: the provincial admin creates and files a committee (a
// refused form names its fields and keeps what was typed); the demo committee's office adds an
// expert, imports a file whose bad row is listed while its good row is stored, exports both
// formats, and deactivates an expert; an expert gets the 404. Run with JavaScript on and off,
// axe in both languages.
//
// The office part uses the demo's engineering committee (`seed --demo` files it and makes
// `office` its office).
import { test, expect, type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";

const PASSWORD = "guantong-demo";
const DEMO_COMMITTEE = "committee-yn-engineering";

async function signIn(page: Page, username: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

async function english(page: Page, baseURL: string | undefined) {
  await page.context().addCookies([{ name: "lang", value: "en", url: baseURL! }]);
}

function uniqueCode(project: string): string {
  return `committee-e2e-${project.replace(/[^a-z]/g, "")}-${Date.now() % 1_000_000}`;
}

test("the provincial admin creates and files a committee", async ({ page, baseURL }, testInfo) => {
  const code = uniqueCode(testInfo.project.name);
  await signIn(page, "admin");
  await page.locator("#nav-committees").click();
  await expect(page).toHaveURL(/\/admin\/committees$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("评审委员会");
  await expectNoAxeViolations(page, testInfo);

  // Refused: each problem named in the summary and beside its field; what was typed is kept.
  const form = page.locator("#create-committee");
  await form.getByLabel("代码", { exact: true }).fill("Bad Code");
  await form.getByLabel("名称", { exact: true }).fill("端到端测试评委会");
  await form.getByLabel("组建单位代码").fill("org-yn-machinery");
  await form.getByLabel("系列").selectOption("engineering");
  await page.locator("#create").click();
  await expect(page.locator(".error-summary")).toContainText("代码须为3至64个小写字母");
  await expect(page.locator(".error-summary")).toContainText("请至少选择一个评审级别");
  await expect(page).toHaveTitle(/^错误：/);
  await expect(form.getByLabel("名称", { exact: true })).toHaveValue("端到端测试评委会");
  await expectNoAxeViolations(page, testInfo);

  await form.getByLabel("代码", { exact: true }).fill(code);
  await form.getByLabel("高级").check();
  await page.locator("#create").click();
  await expect(page.locator("#notice")).toContainText("评审委员会已创建");
  const row = page.locator(`tr[data-committee="${code}"]`);
  await expect(row.locator("[data-filing]")).toHaveAttribute("data-filing", "not_filed");

  // Filing longer than the parameter's years is refused with the last day allowed.
  const filing = page.locator(`#file-${code}`);
  await filing.getByLabel("备案文号").fill("云职改备〔2026〕99号");
  await filing.getByLabel("备案日期").fill("2026-01-01");
  await filing.getByLabel("有效期至").fill("2030-01-01");
  await filing.getByRole("button", { name: "登记备案" }).click();
  await expect(page.locator(".error-summary")).toContainText("备案有效期最长3年");
  await expect(page.locator(`#file-${code}`).getByLabel("有效期至")).toHaveValue("2030-01-01");
  await page.locator(`#file-${code}`).getByLabel("有效期至").fill("2028-12-31");
  await page.locator(`#file-${code}`).getByRole("button", { name: "登记备案" }).click();
  await expect(page.locator("#notice")).toContainText("核准备案已登记");
  await expect(page.locator(`tr[data-committee="${code}"] [data-filing]`)).toContainText("云职改备〔2026〕99号");

  // The committee's page: the admin reads it, and works no pool.
  await page.locator(`tr[data-committee="${code}"] a`).click();
  await expect(page.locator("#pool-heading")).toBeVisible();
  await expect(page.locator("#import-form")).toHaveCount(0);

  await english(page, baseURL);
  await page.goto("/admin/committees");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Review committees");
  await expectNoAxeViolations(page, testInfo);
});

test("the office works its pool: add, import with a bad row, export, deactivate", async ({ page, baseURL }, testInfo) => {
  await signIn(page, "office");
  await page.locator("#nav-committee").click();
  await expect(page).toHaveURL(new RegExp(`/committees/${DEMO_COMMITTEE}$`));
  await expectNoAxeViolations(page, testInfo);

  // A refused entry: the problems named, what was typed kept.
  const form = page.locator("#expert-form");
  await form.getByLabel("用户名").fill("no.such.account");
  await form.getByLabel("姓名").fill("测试专家");
  await form.getByLabel("单位代码").fill("org-yn-machinery");
  await form.getByLabel("职称级别").selectOption("senior");
  await form.getByLabel("任期开始").fill("2026-01-01");
  await form.getByLabel("任期结束").fill("2030-01-01");
  await page.locator("#save-expert").click();
  await expect(page.locator(".error-summary")).toContainText("没有用户名为 no.such.account 的账号");
  await expect(page.locator(".error-summary")).toContainText("任期最长3年");
  await expect(page.locator("#expert-form").getByLabel("姓名")).toHaveValue("测试专家");
  await expectNoAxeViolations(page, testInfo);

  // An import: the good row is stored, the bad one listed by its row.
  const csv =
    "用户名 username,姓名 name,单位代码 unit,系列 series,专业 specialty,职称级别 title_level,高技能人才 high_skill,职务 duty,任期开始 term_from,任期结束 term_to,在库 active\n" +
    "hr,示例专家,org-yn-machinery,engineering,机械,senior,是,member,2026-01-01,2028-12-31,是\n" +
    "industry,另一位,org-yn-machinery,enginering,机械,senior,否,member,2026-01-01,2028-12-31,是\n";
  await page.locator("#file").setInputFiles({ name: "pool.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.locator("#import").click();
  await expect(page.locator("#import-report")).toContainText("导入完成");
  await expect(page.locator("#import-refused")).toContainText("第3行：未知系列 enginering");
  await expect(page.locator('tr[data-expert="hr"]')).toBeVisible();
  await expectNoAxeViolations(page, testInfo);

  // A file that is no pool is refused whole.
  await page.locator("#file").setInputFiles({ name: "x.csv", mimeType: "text/csv", buffer: Buffer.from("colour\nred\n") });
  await page.locator("#import").click();
  await expect(page.locator(".error-summary")).toContainText("表头中有未知的列");

  // Both exports download the pool.
  const csvExport = await page.request.get(`/committees/${DEMO_COMMITTEE}/experts.csv`);
  expect(csvExport.status()).toBe(200);
  expect(csvExport.headers()["content-type"]).toContain("text/csv");
  expect(await csvExport.text()).toContain("hr");
  const xlsxExport = await page.request.get(`/committees/${DEMO_COMMITTEE}/experts.xlsx`);
  expect(xlsxExport.status()).toBe(200);
  expect((await xlsxExport.body()).subarray(0, 2).toString()).toBe("PK");

  // Deactivated, the expert stays listed as such.
  await page.goto(`/committees/${DEMO_COMMITTEE}`);
  await page.locator('tr[data-expert="hr"]').getByRole("button", { name: "停用" }).click();
  await expect(page.locator("#notice")).toContainText("专家已停用");
  await expect(page.locator('tr[data-expert="hr"] [data-active]')).toHaveAttribute("data-active", "false");

  await english(page, baseURL);
  await page.goto(`/committees/${DEMO_COMMITTEE}`);
  await expect(page.locator("#pool-heading")).toHaveText("Expert pool");
  await expectNoAxeViolations(page, testInfo);
});

test("an expert gets the 404 for a committee's pool", async ({ page }) => {
  await signIn(page, "expert");
  const response = await page.goto(`/committees/${DEMO_COMMITTEE}`);
  expect(response?.status()).toBe(404);
  const download = await page.request.get(`/committees/${DEMO_COMMITTEE}/experts.csv`);
  expect(download.status()).toBe(404);
});
