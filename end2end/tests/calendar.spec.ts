// The holiday calendar in the app: in December the administrators' pages warn that next year's
// calendar is missing and lead to the page where it is entered; a year with mistakes comes back
// with every one named beside its field and what was typed kept; once fixed it is saved and
// listed. The runs save a far year (2099), so the warning about 2027 stays for every run and
// for the other specs. Axe in both languages, with JavaScript on and off.
import { test, expect, type Page } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";

const PASSWORD = "guantong-demo";

async function signIn(page: Page, username: string) {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
}

test("an administrator enters a year of the holiday calendar", async ({ page, baseURL }, testInfo) => {
  const pinned = await page.request.post("/test/clock", { form: { date: "2026-12-01" } });
  expect(await pinned.text()).toBe("2026-12-01");
  try {
    await signIn(page, "admin");
    await page.goto("/admin/accounts");
    const warning = page.locator("#calendar-warning");
    await expect(warning).toContainText("尚未录入2027年的节假日安排");
    await expectNoAxeViolations(page, testInfo);
    await warning.getByRole("link", { name: "录入节假日安排" }).click();
    await expect(page).toHaveURL(/\/admin\/calendar\?year=2027/);
    await expect(page.getByRole("heading", { level: 1, name: "节假日安排（工作日日历）" })).toBeVisible();
    await expect(page.getByLabel("年度", { exact: true })).toHaveValue("2027");
    await expect(page.locator("#calendar-years tr[data-year='2026']")).toContainText("随版本发布");
    await expectNoAxeViolations(page, testInfo);

    // Three mistakes at once, each named and linked; what was typed stays.
    await page.getByLabel("年度", { exact: true }).fill("2099");
    await page.getByLabel("放假日期").fill("2099-01-01\n2099-02-30");
    await page.getByLabel("调休上班日期").fill("2099-01-05");
    await page.getByRole("button", { name: "保存该年度" }).click();
    const summary = page.locator(".error-summary");
    await expect(summary).toContainText("请填写节假日安排所依据的通知名称");
    await expect(summary).toContainText("“2099-02-30”不是日期");
    await expect(summary).toContainText("2099-01-05是周一至周五");
    await expect(page.getByLabel("放假日期")).toHaveValue("2099-01-01\n2099-02-30");
    await expect(page.getByLabel("调休上班日期")).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveTitle(/^错误：/);
    await expectNoAxeViolations(page, testInfo);
    await summary.getByRole("link", { name: "“2099-02-30”不是日期，请写作YYYY-MM-DD" }).click();
    await expect(page).toHaveURL(/#holidays$/);

    // Fixed and saved: listed as entered.
    await page.getByLabel("依据的通知").fill("端到端测试用通知");
    await page.getByLabel("放假日期").fill("2099-01-01..2099-01-02");
    await page.getByLabel("调休上班日期").fill("2099-01-03");
    await page.getByRole("button", { name: "保存该年度" }).click();
    await expect(page).toHaveURL(/notice=calendar_saved/);
    await expect(page.locator("#notice")).toContainText("已保存");
    const row = page.locator("#calendar-years tr[data-year='2099']");
    await expect(row).toContainText("端到端测试用通知");
    await expect(row).toContainText("录入");
    await expectNoAxeViolations(page, testInfo);

    // In English.
    await page.context().addCookies([{ name: "lang", value: "en", url: baseURL! }]);
    await page.goto("/admin/calendar");
    await expect(page.getByRole("heading", { level: 1, name: "Holiday calendar (working days)" })).toBeVisible();
    await expect(page.locator("#calendar-warning")).toContainText("The 2027 holiday calendar is not entered");
    await expectNoAxeViolations(page, testInfo);
    await page.getByRole("button", { name: "Save the year" }).click();
    await expect(page.locator(".error-summary")).toContainText("Enter a year from 2000 to 2099");
    await expectNoAxeViolations(page, testInfo);
    await page.context().addCookies([{ name: "lang", value: "zh", url: baseURL! }]);
  } finally {
    await page.request.post("/test/clock", { form: { reset: "1" } });
  }
});
