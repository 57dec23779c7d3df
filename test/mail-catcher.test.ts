// The dev mail catcher (src/dev/): Mailpit, built once from its Go module and cached in .engine/mailpit/,
// started on loopback; `npm run dev` points the engine at it. Here a real engine configured exactly as
// dev configures it sends a password reset, which arrives in Mailpit with a link that works.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../packages/sdk/src/index.js";
import { devMail, mailCatcherEnvironment, startMailCatcher, type MailCatcher } from "../src/dev/mailCatcher.js";
import { isCachedMailpitIntact, mailpitPaths, mailpitPin, provisionMailpit } from "../src/dev/mailpit.js";
import { EngineError, freePort, silentLogger } from "../src/engine/index.js";
import { projectPaths } from "../src/paths.js";
import { useTestEngine } from "./support/engine.js";
import { rejection, uniqueEmail } from "./support/sdk.js";

const APP_URL = "http://127.0.0.1:8090";
let catcher: MailCatcher;
const env: Record<string, string> = {};
// Before the engine's beforeAll (registered below): the engine needs the catcher's SMTP port at start.
// The first run on a machine builds Mailpit (a minute or two; .ci/run does it before the tests).
beforeAll(async () => {
  // Random ports: a developer's own catcher (or another test run) may hold Mailpit's default ones.
  catcher = await startMailCatcher({ log: silentLogger, ports: { http: await freePort(), smtp: await freePort() } });
  Object.assign(env, mailCatcherEnvironment(catcher.smtpPort, {}, APP_URL));
}, 300_000);
afterAll(async () => {
  await catcher?.stop();
});
const engine = useTestEngine({ env });

interface MailpitMessage {
  ID: string;
  To: Array<{ Address: string }>;
  Subject: string;
}

async function inboxFor(address: string): Promise<MailpitMessage> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const list = (await (await fetch(`${catcher.url}/api/v1/messages`)).json()) as { messages: MailpitMessage[] };
    const found = list.messages.find((m) => m.To.some((to) => to.Address === address));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No email to ${address} in Mailpit`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the dev mail catcher", () => {
  it("does not make new users verify first: the README's sign-up and sign-in work under npm run dev", async () => {
    const client = createClient({ url: engine().url });
    const user = await client.auth.register({ email: uniqueEmail("dev-signup"), password: "correct-horse-9" });
    expect(user.verified).toBe(false);
    expect(client.pb.authStore.isValid).toBe(true);
  });

  it("receives the engine's password reset, with a link to the app that resets the password", async () => {
    const email = uniqueEmail("dev");
    const client = createClient({ url: engine().url });
    const user = await client.pb.collection("users").create({ email, password: "old-password-1", passwordConfirm: "old-password-1" });
    await (await engine().admin()).collection("users").update(user.id, { verified: true });
    await client.auth.requestPasswordReset({ email });

    const message = await inboxFor(email);
    expect(message.Subject).toBe("Reset your pocketbase-ts-starter password");
    const full = (await (await fetch(`${catcher.url}/api/v1/message/${message.ID}`)).json()) as { HTML: string };
    const link = /href="([^"]+)"/.exec(full.HTML)?.[1] ?? "";
    const prefix = `${APP_URL}/_/#/auth/confirm-password-reset/`;
    expect(link.startsWith(prefix)).toBe(true);
    await client.auth.confirmPasswordReset({ token: link.slice(prefix.length), password: "new-password-2" });
    await expect(client.auth.login({ email, password: "new-password-2" })).resolves.toMatchObject({ id: user.id });

    // The inbox page is Mailpit's full web UI (its scripts were built into the binary).
    const script = await fetch(`${catcher.url}/dist/app.js`);
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(100_000);
  });

  it("is not started when PB_SMTP_HOST names a real server", async () => {
    const mail = await devMail({ PB_SMTP_HOST: "smtp.example.com" }, APP_URL, silentLogger);
    expect(mail.env).toEqual({});
    expect(mail.describe()).toBe("Mail: sent through smtp.example.com (PB_SMTP_HOST)");
  });
});

describe("obtaining Mailpit", () => {
  it("comes from the cache on a second call", async () => {
    const first = await provisionMailpit({ log: silentLogger });
    const second = await provisionMailpit({ log: silentLogger });
    expect(second).toEqual({ ...first, source: "cache" });
  });

  it("does not trust a cached binary that no longer matches its checksum", async () => {
    const { version } = await mailpitPin();
    const cacheDir = await mkdtemp(path.join(tmpdir(), "mailpit-cache-"));
    try {
      const from = mailpitPaths(projectPaths.engineCache, version);
      const to = mailpitPaths(cacheDir, version);
      await cp(from.dir, to.dir, { recursive: true, filter: (file) => !path.basename(file).startsWith(".") });
      expect(await isCachedMailpitIntact(cacheDir, version)).toBe(true);
      const bytes = await readFile(to.binary);
      bytes.writeUInt8((bytes.at(-1) ?? 0) ^ 0xff, bytes.length - 1);
      await writeFile(to.binary, bytes);
      expect(await isCachedMailpitIntact(cacheDir, version)).toBe(false);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  it("refuses a module whose checksum is not the pinned one, and installs nothing", async () => {
    const pin = await mailpitPin();
    const cacheDir = await mkdtemp(path.join(tmpdir(), "mailpit-cache-"));
    try {
      const wrong = { ...pin, moduleSum: "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" };
      const error = await rejection(provisionMailpit({ cacheDir, pin: wrong, log: silentLogger }));
      expect(error).toBeInstanceOf(EngineError);
      expect((error as Error).message).toMatch(/has checksum h1:.*expected h1:AAAA/);
      expect(await isCachedMailpitIntact(cacheDir, pin.version)).toBe(false);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
