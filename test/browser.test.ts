// The product as a person sees it, in a real (headless) Chromium: the landing page, the dashboard with
// our collections and a seeded record, and the API docs. Screenshots go to test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { useTestEngine } from "./harness.js";
import { browserUnavailableReason, launchChromium, screenshot } from "./support/browser.js";

const unavailable = browserUnavailableReason();
if (unavailable) console.warn(`[browser tests skipped] ${unavailable}`);

/** Waits on a loaded 2-core machine are generous; nothing sleeps for a fixed time. */
const WAIT = { timeout: 30_000 };
const SEEDED_TASK = "Water the plants (seeded for the browser test)";

describe.skipIf(unavailable !== null)(unavailable ? `in a real browser (skipped: ${unavailable})` : "in a real browser", () => {
  const engine = useTestEngine();
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Seed through the superuser API: a user and one of their todos.
    const admin = await engine().admin();
    const user = await admin.collection("users").create({ email: "gardener@example.com", password: "gardener-pass-1", passwordConfirm: "gardener-pass-1" });
    const category = await admin.collection("categories").getFirstListItem(admin.filter("name = {:name}", { name: "Urgent" }));
    await admin.collection("todos").create({ task: SEEDED_TASK, category: category.id, owner: user.id });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(WAIT.timeout);
  });

  it("shows the landing page with links to the docs, the dashboard and the health endpoint", async () => {
    const response = await page.goto(`${engine().url}/`);
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe("pocketbase-ts-starter");
    for (const [name, href] of [["API docs", "/docs/"], ["Dashboard", "/_/"], ["Health", "/api/health"]] as const) {
      await expect(page.getByRole("link", { name }).getAttribute("href")).resolves.toBe(href);
    }
    await screenshot(page, "landing");
    await page.getByRole("link", { name: "Health" }).click();
    await page.waitForURL("**/api/health", WAIT);
    await expect(page.locator("body").innerText()).resolves.toContain("API is healthy");
  });

  it("lets the superuser log into the dashboard, see categories and todos, and open a seeded todo", async () => {
    await page.goto(`${engine().url}/_/`);
    await page.locator("#login_identity").fill(engine().superuser.email);
    await page.locator("#login_pass").fill(engine().superuser.password);
    await page.getByRole("button", { name: "Login" }).click();

    const sidebar = page.locator("nav.collections-list");
    const categories = sidebar.locator('button.nav-item[title="categories"]');
    const todos = sidebar.locator('button.nav-item[title="todos"]');
    await categories.waitFor({ state: "visible", ...WAIT });
    await todos.waitFor({ state: "visible", ...WAIT });
    await screenshot(page, "dashboard-collections");

    await todos.click();
    await page.locator(".breadcrumbs", { hasText: "todos" }).waitFor({ state: "visible", ...WAIT });
    await page.getByText(SEEDED_TASK).first().waitFor({ state: "visible", ...WAIT });
    await screenshot(page, "dashboard-todos");
  });

  it("renders the todos operations at /docs from the local Swagger UI", async () => {
    const external: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(engine().url) && !request.url().startsWith("data:")) external.push(request.url());
    });
    await page.goto(`${engine().url}/docs`);
    await page.waitForURL("**/docs/", WAIT);
    const todosTag = page.locator(".opblock-tag-section", { has: page.locator('.opblock-tag[data-tag="Todos"]') });
    await todosTag.waitFor({ state: "visible", ...WAIT });
    for (const [method, path] of [
      ["get", "/api/collections/todos/records"],
      ["post", "/api/collections/todos/records"],
      ["get", "/api/collections/todos/records/{id}"],
      ["patch", "/api/collections/todos/records/{id}"],
      ["delete", "/api/collections/todos/records/{id}"],
    ] as const) {
      await todosTag.locator(`.opblock-${method}`, { has: page.locator(`[data-path="${path}"]`) }).first().waitFor({ state: "visible", ...WAIT });
    }
    await expect(page.locator(".info .title").innerText()).resolves.toContain("pocketbase-ts-starter API");
    await screenshot(page, "docs");
    expect(external, "the docs must not load anything from another host").toEqual([]);
  });
});
