// End-to-end tests in Debian's Chromium (never a downloaded browser). Every test runs twice:
// with JavaScript (hydrated, verdicts computed in wasm) and without (server round trips).
import { defineConfig } from "@playwright/test";
import * as os from "node:os";
import * as path from "node:path";

const port = Number(process.env.E2E_PORT ?? 3100);
const dbFile = path.join(os.tmpdir(), `guantong-e2e-${process.pid}.db`);
const uploads = path.join(os.tmpdir(), `guantong-e2e-uploads-${process.pid}`);
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  timeout: 30_000,
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: "zh-CN",
    trace: "off",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "js", use: { javaScriptEnabled: true } },
    { name: "no-js", use: { javaScriptEnabled: false } },
  ],
  webServer: {
    // A small demo province (organisations, a committee office, one login per role), then serve.
    command: "target/release/server seed --demo --applicants 30 --if-empty && target/release/server serve",
    cwd: path.resolve(__dirname, ".."),
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      DATABASE_URL: `sqlite://${dbFile}?mode=rwc`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: "target/site",
      RUST_LOG: "warn",
      GUANTONG_UPLOAD_DIR: uploads,
      // Lets the dossier journey move the server's day past a publicity period.
      GUANTONG_TEST_CLOCK: "true",
      // The ballot's walk signs in each pool member to find who sits in the session: more
      // sign-ins from 127.0.0.1 than the default limit per address allows.
      GUANTONG_LOGIN_ATTEMPTS_PER_IP: "1000",
    },
  },
});
