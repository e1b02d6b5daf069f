// What the self-check's pages say (issue 15): titles and errors that name their page and field,
// "none of these" exclusive, check-your-answers in words, paths the questions cannot decide
// kept apart, one entry per target, the national rules said so, the verify page's reasons,
// the phone's summary line and the CJK font stack. Every test runs with JavaScript on and off.
import { test, expect, Page } from "@playwright/test";
import { expectNoAxeViolations } from "./support/axe";

function today(): Date {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}
function ago(years: number, days = 0): string {
  const d = today();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}
const year = today().getUTCFullYear();
const allPass = Object.fromEntries([year - 3, year - 2, year - 1].map((y) => [`rev_${y}`, "pass"]));

function query(answers: Record<string, string | string[]>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(answers)) {
    for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  }
  return p.toString();
}

async function next(page: Page) {
  await Promise.all([page.waitForURL(/\/check\?/), page.locator("#next").click()]);
}

async function english(page: Page, baseURL: string | undefined) {
  await page.context().addCookies([{ name: "lang", value: "en", url: baseURL! }]);
}

/** Everything answered: a technician of four years, assessments passed, no honours. */
const answered = {
  has_sl: "yes",
  sl0_level: "technician",
  sl0_on: ago(4),
  sl0_occ: "6-18-01-02",
  has_t: "no",
  work_on: ago(12),
  years: "3",
  ...allPass,
  honour: "none",
  post: "none",
  degree: "no",
};

test.describe("22: fonts", () => {
  for (const lang of ["zh", "en"]) {
    test(`the page names a Chinese font stack (${lang})`, async ({ page, baseURL }) => {
      if (lang === "en") await english(page, baseURL);
      await page.goto("/check");
      for (const selector of ["body", "#region", "#next"]) {
        const family = await page.locator(selector).first().evaluate((el) => getComputedStyle(el).fontFamily);
        for (const font of ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC"]) {
          expect(family, selector).toContain(font);
        }
        expect(family, selector).toMatch(/sans-serif$/);
      }
    });
  }
});

test.describe("12: titles, error summary focus, errors that name their field", () => {
  test("every self-check page has its own title", async ({ page, baseURL }) => {
    await page.goto("/check");
    await expect(page).toHaveTitle("您在哪个地区申报？ - 贯通");
    await page.goto(`/check?step=2`);
    await expect(page).toHaveTitle("您持有哪些职业技能等级？ - 贯通");
    await page.goto(`/check?step=8&${query(answered)}`);
    await expect(page).toHaveTitle("核对您的回答 - 贯通");
    await expect(page.locator("#error-summary")).toHaveCount(0);
    await page.goto(`/check/result?${query(answered)}`);
    await expect(page).toHaveTitle("您的自测结果 - 贯通");
    const verify = (await page.locator("#verify-link").getAttribute("href"))!;
    await page.goto(verify);
    await expect(page).toHaveTitle("核验自测结果 - 贯通");
    await english(page, baseURL);
    await page.goto(`/check?step=4`);
    await expect(page).toHaveTitle("Your years of work - Guantong");
  });

  test("a failed Continue: the title says Error, the summary takes the focus and names the date", async ({ page }) => {
    await page.goto("/check?step=2");
    await page.locator("#has_sl").check();
    await page.locator("#sl0_level").selectOption("technician");
    await page.locator("#sl0_on").fill("2023-13-45");
    await next(page);
    await expect(page).toHaveTitle("错误：您持有哪些职业技能等级？ - 贯通");
    await expect(page.locator("#error-summary")).toBeFocused();
    await expect(page.locator("#error-summary")).toContainText("技能等级 1 的取得日期有误：“2023-13-45”不是有效日期");
    await expect(page.locator("#sl0_on-error")).toContainText("技能等级 1 的取得日期");
  });

  test("a missing answer names the field it is missing from", async ({ page }) => {
    await page.goto(`/check?step=2&${query({ has_sl: "yes", sl_n: "2", sl0_level: "technician", sl0_on: ago(3) })}`);
    await page.locator("#sl1_on").fill(ago(1));
    await next(page);
    const summary = page.locator("#error-summary");
    await expect(summary).toBeFocused();
    await expect(summary).toContainText("请选择技能等级 2 的等级");
    await expect(summary).not.toContainText("缺少必填项");
    await expect(summary.getByRole("link", { name: "请选择技能等级 2 的等级" })).toHaveAttribute("href", "#sl1_level");
  });

  test("English: the start of work's date error says which date, without backticks", async ({ page, baseURL }) => {
    await english(page, baseURL);
    await page.goto("/check?step=4");
    await page.locator("#work_on").fill("2999-01-01");
    await next(page);
    await expect(page).toHaveTitle("Error: Your years of work - Guantong");
    const summary = page.locator("#error-summary");
    await expect(summary).toBeFocused();
    await expect(summary).toContainText("The date you started work: 2999-01-01 is after the check date");
    await expect(summary).not.toContainText("`");
  });
});

test.describe("15: none of these excludes the others", () => {
  test("an honour ticked after none of these keeps the honour, and none is cleared", async ({ page, javaScriptEnabled }) => {
    const base = { has_sl: "yes", sl0_level: "senior_worker", sl0_on: ago(1, 300), sl0_occ: "6-18-01-01", ...allPass };
    await page.goto(`/check?step=6&${query(base)}`);
    const none = page.locator("#honour-none");
    const expert = page.locator('input[name=honour][value="national_technical_expert"]');
    await none.check();
    await expert.check();
    if (javaScriptEnabled) {
      await expect(none).not.toBeChecked();
      await none.check();
      await expect(expert).not.toBeChecked();
      await expert.check();
      await expect(none).not.toBeChecked();
    }
    await page.locator("#post-none").check();
    await next(page);
    await next(page); // degree: skip, to check your answers
    // Without JavaScript both boxes arrived: the server keeps the honour.
    const honours = page.locator(".summary-row").filter({ hasText: "荣誉" }).locator("dd").first();
    await expect(honours).toHaveText("全国技术能手");
    await expect(page.locator('#verdict li.outcome[data-key="green_channel.senior"]')).toHaveAttribute("data-status", "eligible");
    await page.goto(`/check?step=6&${query({ ...base, honour: ["none", "national_technical_expert"] })}`);
    await expect(page.locator("#honour-none")).not.toBeChecked();
    await expect(expert).toBeChecked();
  });
});

test.describe("9: check your answers in words", () => {
  test("occupation named, the right labels, no doubled none", async ({ page }) => {
    await page.goto(`/check?step=8&${query(answered)}`);
    const list = page.locator(".summary-list");
    await expect(list).toContainText("铣工（6-18-01-02）");
    await expect(list).toContainText(`技师，${ago(4)}取得`);
    await expect(list).not.toContainText("以上都没有");
    await expect(page.locator(".summary-row").filter({ hasText: "毕业于与职业相关的专业" }).locator("dd").first()).toHaveText("否");
    await expect(page.locator(".summary-row").filter({ hasText: "参加工作时间" }).locator("dd").first()).toHaveText(ago(12));
    await expect(page.locator(".summary-row").filter({ hasText: "从事技术技能工作的年数" }).locator("dd").first()).toHaveText("3");
    await expect(list.getByRole("link", { name: /修改/ })).toHaveCount(9);
  });

  test("English: no full-width semicolons or backticks", async ({ page, baseURL }) => {
    await english(page, baseURL);
    await page.goto(`/check?step=8&${query({ ...answered, has_t: "yes", t0_series: "engineering", t0_level: "assistant", t0_on: ago(5) })}`);
    const text = (await page.locator("main").innerText()) ?? "";
    expect(text).not.toMatch(/[；、`]/);
    await expect(page.locator(".summary-list")).toContainText(`Technician, obtained ${ago(4)}, milling machine operator (6-18-01-02)`);
    await expect(page.locator(".summary-list")).toContainText("Graduated in a major related to your occupation");
  });
});

test.describe("7: paths the questions cannot decide are apart", () => {
  test("all answered: no target needs more information; exams and the special evaluation are listed apart", async ({ page }) => {
    await page.goto(`/check?step=8&${query(answered)}`);
    await expect(page.locator("#verdict-summary")).toContainText("信息不全 0 项");
    const apart = page.locator("#other-paths");
    await expect(apart.getByRole("heading", { name: "其他途径" })).toBeVisible();
    await expect(apart.locator('li.outcome[data-status="apart"]')).toHaveCount(9);
    await expect(apart.locator('li[data-key="qualification_exam.accounting"]')).toContainText("人事考试机构");
    await expect(apart.locator('li[data-key="special_evaluation.senior"]')).toContainText("评审委员会决定");
    await expect(page.locator('#verdict-list > li.target[data-status="unknown"]')).toHaveCount(0);
  });

  test("step 1 lists nothing before anything is asked", async ({ page }) => {
    await page.goto("/check");
    await expect(page.locator("#verdict-summary")).toContainText("先回答问题");
    await expect(page.locator("#verdict li.outcome")).toHaveCount(0);
    await expect(page.locator("#verdict")).not.toContainText("信息不全");
  });
});

test.describe("8: one entry per target", () => {
  test("a target names the route that opens it; the others are folded beneath", async ({ page }) => {
    const q = query({ has_sl: "yes", sl0_level: "senior_worker", sl0_on: ago(1, 300), sl0_occ: "6-18-01-01", ...allPass, honour: "national_technical_expert", post: "none" });
    await page.goto(`/check?step=8&${q}`);
    const targets = await page.locator("#verdict-list > li.target").evaluateAll((els) => els.map((e) => e.getAttribute("data-target")));
    expect(new Set(targets).size).toBe(targets.length);
    const senior = page.locator('#verdict-list > li.target[data-target="title:associate_senior"]');
    await expect(senior).toHaveAttribute("data-status", "eligible");
    const head = senior.locator(":scope > ul > li.outcome");
    await expect(head).toHaveAttribute("data-key", "green_channel.associate_senior");
    await expect(head).toContainText("途径：绿色通道");
    const folded = senior.locator("details.other-routes");
    await expect(folded.locator(":scope > summary")).toHaveText("同一目标的其他途径（1）");
    await expect(folded.locator('li.outcome[data-key="skill_ladder.associate_senior"]')).toBeHidden();
    await folded.locator(":scope > summary").click();
    await expect(folded.locator('li.outcome[data-key="skill_ladder.associate_senior"]')).toBeVisible();
    await expect(folded).toContainText("途径：技能等级申报职称");
  });
});

test.describe("11: a province without its own rules", () => {
  test("广东 is told it gets the national rules; 云南 is not", async ({ page, baseURL }) => {
    await page.goto(`/check?step=2&region=44`);
    await expect(page.locator("#rules-fallback")).toContainText("广东省还没有录入本服务的地方办法，以下结果按全国通用规则");
    await page.goto(`/check/result?region=44&${query(answered)}`);
    await expect(page.locator("#rules-fallback")).toContainText("广东省");
    await page.goto(`/check?step=2&region=53`);
    await expect(page.locator("#rules-fallback")).toHaveCount(0);
    await english(page, baseURL);
    await page.goto(`/check?step=2&region=44`);
    await expect(page.locator("#rules-fallback")).toContainText("Guangdong has no provincial rules in this service yet");
  });
});

test.describe("3: the verify page", () => {
  test("altered answers: the printout does not match them; the rules are not blamed", async ({ page }) => {
    await page.goto(`/check/result?${query(answered)}`);
    const href = (await page.locator("#verify-link").getAttribute("href"))!;
    await page.goto(href);
    await expect(page.locator("#verify-outcome")).toHaveAttribute("data-holds", "true");
    // The certificate's day moved a year later: same rules, other answers.
    await page.goto(href.replace(`sl0_on=${ago(4)}`, `sl0_on=${ago(3, -100)}`));
    const outcome = page.locator("#verify-outcome");
    await expect(outcome).toHaveAttribute("data-holds", "false");
    await expect(outcome).toHaveAttribute("data-reason", "answers");
    await expect(outcome).toContainText("这些回答与打印的结论不符");
    await expect(outcome).not.toContainText("规则已更新");
    // A version that is not in force is still a change of rules.
    await page.goto(href.replace(/([?&]v=)[^&]*/, "$1old"));
    await expect(page.locator("#verify-outcome")).toHaveAttribute("data-reason", "rules");
  });
});

test.describe("16: on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("a one-line summary of the verdict stays in view while answering", async ({ page, javaScriptEnabled }) => {
    await page.goto(`/check?step=2&${query({ has_sl: "yes", sl0_level: "technician", sl0_occ: "6-18-01-02", ...allPass })}`);
    const bar = page.locator("#verdict-bar");
    await expect(bar).toBeVisible();
    await expect(bar).toBeInViewport();
    await expect(page.locator("#verdict-heading")).not.toBeInViewport();
    const box = (await bar.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(844);
    expect(box.height).toBeLessThan(60);
    await expect(bar).toContainText("信息不全");
    if (javaScriptEnabled) {
      await page.waitForFunction(() => !(document.querySelector("#copy-link") as HTMLElement)?.hidden);
      await page.locator("#sl0_on").fill(ago(4));
      await expect(bar).toHaveText(/可申报 [1-9]/);
    }
    await page.locator("#sl0_on").scrollIntoViewIfNeeded();
    await expect(page.locator("#sl0_on")).toBeInViewport();
    await expect(bar).toBeInViewport();
  });

  test("on a wide screen the panel is beside the form and the bar is not shown", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/check?step=2`);
    await expect(page.locator("#verdict-bar")).toBeHidden();
  });
});

const axePages: [string, string][] = [
  ["step 6 (exclusive choices)", `/check?step=6&${query(answered)}`],
  ["step 2 errors", `/check?at=2&nav=next&has_sl=yes&sl_n=2&sl0_level=technician&sl0_on=nope&sl1_on=${ago(1)}`],
  ["check your answers", `/check?step=8&${query(answered)}`],
  ["national rules for 广东", `/check?step=2&region=44&${query(answered)}`],
  ["grouped result", `/check/result?${query({ ...answered, honour: "national_technical_expert" })}`],
  ["verify, altered", `/check/verify?${query(answered)}&rs=national-2020&v=x&h=0`],
];
for (const lang of ["zh", "en"]) {
  for (const [name, url] of axePages) {
    test(`axe: ${name} (${lang})`, async ({ page, baseURL }, testInfo) => {
      if (lang === "en") await english(page, baseURL);
      await page.goto(url);
      await page.locator("#verdict details").evaluateAll((ds) => ds.forEach((d) => ((d as HTMLDetailsElement).open = true)));
      await expectNoAxeViolations(page, testInfo);
    });
  }
  test(`axe: phone with the summary bar (${lang})`, async ({ page, baseURL }, testInfo) => {
    await page.setViewportSize({ width: 390, height: 844 });
    if (lang === "en") await english(page, baseURL);
    await page.goto(`/check?step=4&${query(answered)}`);
    await expectNoAxeViolations(page, testInfo);
  });
}
