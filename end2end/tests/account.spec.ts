// A person who has applied nowhere deletes their account: the password page offers it, names
// each missing part (the password, the tick), then deletes and signs out. Axe in both languages.
import { test, expect } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";

test("an account that has applied nowhere is deleted by its holder", async ({ page, baseURL }, testInfo) => {
  const username = `leave.${testInfo.project.name.replace(/[^a-z]/g, "")}.${Date.now() % 1_000_000}`;
  await page.goto("/register");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("姓名或称呼").fill("李离开");
  await page.getByLabel("密码", { exact: true }).fill("a long enough password");
  await page.getByLabel("再次输入密码").fill("a long enough password");
  await page.getByLabel("我已阅读并同意《个人信息保护告知》").check();
  await page.getByRole("button", { name: "注册" }).click();
  await page.goto("/account/password");
  await expect(page.getByRole("heading", { level: 2, name: "删除账号" })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  await page.getByRole("button", { name: "删除账号" }).click();
  await expect(page.locator(".error-summary")).toContainText("请输入正确的当前密码");
  await expect(page.locator(".error-summary")).toContainText("请先勾选确认删除账号");
  await expectNoAxeViolations(page, testInfo);
  await page.context().addCookies([{ name: "lang", value: "en", url: baseURL! }]);
  await page.reload();
  await expect(page.getByRole("heading", { level: 2, name: "Delete the account" })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  await page.context().addCookies([{ name: "lang", value: "zh", url: baseURL! }]);
  await page.goto("/account/password");
  await page.locator("#delete_password").fill("a long enough password");
  await page.getByLabel("我确认删除本账号及全部草稿").check();
  await page.getByRole("button", { name: "删除账号" }).click();
  await expect(page).toHaveURL(/\/login\?notice=account_deleted/);
  await expect(page.locator("#notice")).toContainText("账号已删除");
  // Signed out, and the name is free to sign in with no more.
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill("a long enough password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
});
