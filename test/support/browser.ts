// Headless Chromium for the browser tests: Debian's chromium package driven by playwright-core (no
// browser download). `.ci/install-chromium.sh` installs it; CI must have it, a developer may not.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { projectRoot } from "../../src/paths.js";

/** Where screenshots go (test-results/ is gitignored). */
export const screenshotDir = path.join(projectRoot, "test-results", "screenshots");

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"];

/** Path of a Chromium executable: $CHROMIUM_BIN, or Debian's package; null when there is none. */
export function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_BIN;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATES.find((candidate) => existsSync(candidate)) ?? null;
}

/**
 * Why the browser tests cannot run here, or null when they can. Outside CI a missing chromium skips
 * them with this message; in CI (CI=true) it is an error, because CI installs chromium first.
 */
export function browserUnavailableReason(): string | null {
  if (findChromium()) return null;
  const message = "chromium is not installed: run `bash .ci/install-chromium.sh` (or set CHROMIUM_BIN) to run the browser tests";
  if (process.env.CI === "true" || process.env.CI === "1") throw new Error(`${message}. CI must install it before the tests.`);
  return message;
}

/** Launches headless Chromium with flags that keep it quiet and offline (loopback only). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(browserUnavailableReason() ?? "chromium not found");
  return chromium.launch({
    executablePath,
    timeout: 60_000,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Saves a full-page screenshot as test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
