import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { projectRoot } from "../src/paths.js";
import path from "node:path";

describe("loadConfig", () => {
  it("has safe defaults: loopback only, data in ./pb_data, no superuser", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      http: "127.0.0.1:8090",
      url: "http://127.0.0.1:8090",
      dataDir: path.join(projectRoot, "pb_data"),
      origins: [],
      superuser: null,
      hooksPool: 256,
    });
  });

  it("reads every variable", () => {
    const config = loadConfig({
      PB_HTTP: "0.0.0.0:9000",
      PB_DATA_DIR: "/srv/pb",
      PB_ORIGINS: "https://a.example, https://b.example",
      PB_SUPERUSER_EMAIL: "admin@example.com",
      PB_SUPERUSER_PASSWORD: "long-enough-password",
      POCKETBASE_BIN: "/opt/pocketbase",
      PB_HOOKS_POOL: "64",
    });
    expect(config).toEqual({
      http: "0.0.0.0:9000",
      url: "http://127.0.0.1:9000",
      dataDir: "/srv/pb",
      origins: ["https://a.example", "https://b.example"],
      superuser: { email: "admin@example.com", password: "long-enough-password" },
      pocketbaseBin: "/opt/pocketbase",
      hooksPool: 64,
      mail: false,
    });
  });

  it.each([
    [{ PB_HTTP: "8090" }, /PB_HTTP: must be host:port/],
    [{ PB_HTTP: "127.0.0.1:99999" }, /PB_HTTP: the port must be at most 65535/],
    [{ PB_SUPERUSER_EMAIL: "nope", PB_SUPERUSER_PASSWORD: "long-enough-password" }, /PB_SUPERUSER_EMAIL: must be an email/],
    [{ PB_SUPERUSER_EMAIL: "a@example.com", PB_SUPERUSER_PASSWORD: "short" }, /PB_SUPERUSER_PASSWORD: must be 8 to 71 characters/],
    [{ PB_SUPERUSER_EMAIL: "a@example.com" }, /set both or neither/],
    [{ PB_SMTP_HOST: "smtp.example.com" }, /PB_MAIL_FROM_ADDRESS: required with PB_SMTP_HOST/],
    [
      { PB_SMTP_HOST: "smtp.example.com", PB_MAIL_FROM_ADDRESS: "a@example.com", PB_SMTP_TLS: "maybe" },
      /PB_SMTP_TLS: must be starttls, tls or off/,
    ],
    [{ PB_SMTP_PASSWORD: "x" }, /PB_SMTP_PASSWORD: set, but PB_SMTP_HOST is not/],
    [{ PB_APP_URL: "example.com" }, /PB_APP_URL: must be an http\(s\) URL/],
    [{ PB_RATE_LIMIT_AUTH: "ten" }, /PB_RATE_LIMIT_AUTH: must look like <requests>\/<seconds>/],
    [{ PB_OAUTH2_GITHUB_CLIENT_ID: "id" }, /PB_OAUTH2_GITHUB_CLIENT_ID and PB_OAUTH2_GITHUB_CLIENT_SECRET: set both or neither/],
    [{ PB_TRUSTED_PROXY_USE_LEFTMOST_IP: "sometimes" }, /PB_TRUSTED_PROXY_USE_LEFTMOST_IP: must be true or false/],
    [{ PB_HOOKS_POOL: "lots" }, /PB_HOOKS_POOL: must be a whole number from 1 to 10000, got "lots"/],
    [{ PB_RATE_LIMITS: "maybe" }, /PB_RATE_LIMITS: must be on or off, got "maybe"/],
    [
      { PB_ORIGINS: "https://app.example.com,not-a-url" },
      /PB_ORIGINS: must be \* or origins like https:\/\/app.example.com, comma-separated; got "not-a-url"/,
    ],
    [{ PB_ORIGINS: "https://app.example.com/login" }, /PB_ORIGINS: .*got "https:\/\/app.example.com\/login"/],
  ])("refuses %j with a readable message", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.each([
    [{ PB_HTTP: "localhost" }, "PB_HTTP"],
    [{ PB_RATE_LIMIT_AUTH: "10" }, "PB_RATE_LIMIT_AUTH"],
  ])("says what is wrong with %j in one line", (env, name) => {
    const message = (() => {
      try {
        loadConfig(env);
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message.split("\n").filter((line) => line.includes(`${name}:`))).toHaveLength(1);
  });

  it("accepts origins with a trailing slash, and *", () => {
    expect(loadConfig({ PB_ORIGINS: "https://app.example.com/, http://localhost:5173 ,*" }).origins).toEqual([
      "https://app.example.com",
      "http://localhost:5173",
      "*",
    ]);
  });
});

describe("readEnv", () => {
  it("merges a .env file under the real environment, which wins", async () => {
    const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { readEnv } = await import("../src/config.js");
    const dir = await mkdtemp(path.join(tmpdir(), "dotenv-"));
    try {
      const file = path.join(dir, ".env");
      await writeFile(file, "PB_RATE_LIMITS=off\nPB_HTTP=127.0.0.1:9999\n");
      const env = readEnv({ PB_HTTP: "127.0.0.1:8080" }, file);
      expect(env.PB_RATE_LIMITS).toBe("off");
      expect(env.PB_HTTP).toBe("127.0.0.1:8080");
      expect(readEnv({ A: "1" }, path.join(dir, "missing.env"))).toEqual({ A: "1" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
