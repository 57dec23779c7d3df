// The engine configures itself from its environment (pb_hooks/lib/settings.ts reads the variables,
// pb_hooks/environment.pb.ts applies them at every start and after every settings save), so `npm start` and
// the Node-free bundle behave alike.
import { describe, expect, it } from "vitest";
import { ENGINE_VARIABLES, holds, readEngineEnvironment } from "../pb_hooks/lib/settings.js";
import { startTestEngine } from "./support/engine.js";

const read = (env: Record<string, string>) => readEngineEnvironment((name) => env[name] ?? "");

describe("readEngineEnvironment (pure)", () => {
  it("maps mail, app, proxy, logs, backups and sign-in variables to settings and users options", () => {
    const env = read({
      PB_APP_NAME: "Notes",
      PB_APP_URL: "https://notes.example.com/",
      PB_SMTP_HOST: "smtp.example.com",
      PB_SMTP_USERNAME: "mailer",
      PB_SMTP_PASSWORD: "s3cret",
      PB_MAIL_FROM_ADDRESS: "hello@notes.example.com",
      PB_TRUSTED_PROXY_HEADERS: "X-Forwarded-For",
      PB_LOGS_MAX_DAYS: "14",
      PB_BACKUPS_CRON: "0 3 * * *",
      PB_BACKUPS_S3_BUCKET: "backups",
      PB_BACKUPS_S3_ENDPOINT: "http://127.0.0.1:9000",
      PB_BACKUPS_S3_ACCESS_KEY: "key",
      PB_BACKUPS_S3_SECRET: "secret",
      PB_BACKUPS_S3_FORCE_PATH_STYLE: "true",
      PB_OAUTH2_GITHUB_CLIENT_ID: "gh-id",
      PB_OAUTH2_GITHUB_CLIENT_SECRET: "gh-secret",
    });
    expect(env.problems).toEqual([]);
    expect(env.mail).toBe(true);
    expect(env.settings).toEqual({
      meta: { appName: "Notes", appURL: "https://notes.example.com", senderAddress: "hello@notes.example.com", senderName: "Notes" },
      smtp: {
        enabled: true,
        host: "smtp.example.com",
        port: 587,
        username: "mailer",
        password: "s3cret",
        tls: false,
        authMethod: "PLAIN",
        localName: "",
      },
      trustedProxy: { headers: ["X-Forwarded-For"], useLeftmostIP: false },
      logs: { maxDays: 14 },
      backups: {
        cron: "0 3 * * *",
        cronMaxKeep: 7,
        s3: {
          enabled: true,
          bucket: "backups",
          region: "us-east-1",
          endpoint: "http://127.0.0.1:9000",
          accessKey: "key",
          secret: "secret",
          forcePathStyle: true,
        },
      },
    });
    // Mail is configured, so by default only verified users may sign in.
    expect(env.users).toEqual({
      authRule: "verified = true",
      oauth2: { enabled: true, providers: [{ name: "github", clientId: "gh-id", clientSecret: "gh-secret" }] },
      otp: { enabled: true }, // mail can deliver the codes
    });
  });

  it("sets nothing when nothing is set; without mail, unverified users may sign in unless told otherwise", () => {
    expect(read({})).toEqual({
      settings: {},
      users: { authRule: "", oauth2: { enabled: false, providers: [] }, otp: { enabled: false } },
      superuser: null,
      mail: false,
      problems: [],
    });
    expect(read({ PB_REQUIRE_VERIFIED_EMAIL: "true" }).users.authRule).toBe("verified = true");
    expect(read({ PB_SMTP_HOST: "h", PB_MAIL_FROM_ADDRESS: "a@b.co", PB_REQUIRE_VERIFIED_EMAIL: "false" }).users.authRule).toBe("");
    expect(read({ PB_SMTP_HOST: "h", PB_MAIL_FROM_ADDRESS: "a@b.co", PB_SMTP_TLS: "tls" }).settings.smtp).toMatchObject({
      port: 465,
      tls: true,
    });
  });

  it("lists every variable it reads, secrets marked", () => {
    const names = ENGINE_VARIABLES.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    expect(ENGINE_VARIABLES.filter((v) => v.secret).map((v) => v.name)).toEqual([
      "PB_SMTP_PASSWORD",
      "PB_SUPERUSER_PASSWORD",
      "PB_BACKUPS_S3_SECRET",
      "PB_OAUTH2_GOOGLE_CLIENT_SECRET",
      "PB_OAUTH2_GITHUB_CLIENT_SECRET",
      "PB_OAUTH2_OIDC_CLIENT_SECRET",
    ]);
  });

  it("holds() compares what is wanted, whatever the key order", () => {
    expect(holds({ a: 1, b: { c: [{ x: 1, y: 2 }] }, extra: true }, { b: { c: [{ y: 2, x: 1 }] }, a: 1 })).toBe(true);
    expect(holds({ a: [1, 2] }, { a: [1] })).toBe(false);
    expect(holds({ a: { b: "" } }, { a: { b: "secret" } })).toBe(false);
  });
});

describe("applied by the engine", () => {
  it("at start, kept across restarts, and restored after a dashboard edit; secrets never shown", async () => {
    const engine = await startTestEngine({
      env: {
        PB_APP_URL: "https://app.example.com",
        PB_SMTP_HOST: "127.0.0.1",
        PB_SMTP_PORT: "2525",
        PB_SMTP_PASSWORD: "smtp-secret",
        PB_SMTP_TLS: "off",
        PB_MAIL_FROM_ADDRESS: "noreply@example.com",
        PB_TRUSTED_PROXY_HEADERS: "X-Real-IP",
      },
    });
    try {
      const admin = await engine.admin();
      const settings = () => admin.settings.getAll();
      expect(await settings()).toMatchObject({
        meta: { appURL: "https://app.example.com", senderAddress: "noreply@example.com" },
        smtp: { enabled: true, host: "127.0.0.1", port: 2525 },
        trustedProxy: { headers: ["X-Real-IP"] },
      });
      expect(JSON.stringify(await settings())).not.toContain("smtp-secret"); // the API never shows secrets
      expect(await admin.collections.getOne("users")).toMatchObject({ authRule: "verified = true", otp: { enabled: true } });
      // A dashboard edit of a value the environment decides is undone at once (the next settings reload).
      await admin.settings.update({ meta: { appURL: "http://elsewhere.example" } });
      expect((await settings()).meta).toMatchObject({ appURL: "https://app.example.com" });
      const usersBefore = await admin.collections.getOne("users");
      await engine.restart();
      const again = await engine.admin();
      expect((await again.settings.getAll()).smtp).toMatchObject({ host: "127.0.0.1", port: 2525 });
      // Nothing changed, so nothing is saved: a restart leaves the users collection as it was.
      expect((await again.collections.getOne("users")).updated).toBe(usersBefore.updated);
      expect(engine.running.output()).not.toContain("smtp-secret");
    } finally {
      await engine.dispose();
    }
  });
});

describe("the README", () => {
  it("documents every variable the engine reads", async () => {
    const { readFile } = await import("node:fs/promises");
    const { projectRoot } = await import("../src/paths.js");
    const readme = await readFile(`${projectRoot}/README.md`, "utf8");
    expect(ENGINE_VARIABLES.map((v) => v.name).filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
