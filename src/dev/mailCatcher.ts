// The dev mail catcher: Mailpit on loopback, an SMTP server that keeps every email and shows it in a
// browser. `npm run dev` points the engine at it (unless PB_SMTP_HOST names a real server), so every
// verification, reset, email-change and one-time-password email can be read and clicked.
import { createServer } from "node:net";
import { execa, type ResultPromise } from "execa";
import { EngineError } from "../engine/errors.js";
import { freePort } from "../engine/freePort.js";
import type { Logger } from "../engine/log.js";
import { provisionMailpit, type MailpitOptions } from "./mailpit.js";

/** Mailpit's own default ports, used when they are free. */
export const MAIL_CATCHER_PORTS = { http: 8025, smtp: 1025 } as const;

export interface MailCatcher {
  /** The inbox in a browser; its REST API is under /api/v1/. */
  url: string;
  smtpPort: number;
  stop(): Promise<void>;
}

/** `preferred` if nothing listens on it, else any free loopback port. */
async function portOrFree(preferred: number): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(preferred, "127.0.0.1", () => server.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}

/** Picks the inbox and SMTP ports: Mailpit's defaults when free. */
export async function mailCatcherPorts(): Promise<{ http: number; smtp: number }> {
  return { http: await portOrFree(MAIL_CATCHER_PORTS.http), smtp: await portOrFree(MAIL_CATCHER_PORTS.smtp) };
}

/** Starts Mailpit (obtaining it first if needed) and waits until it answers. */
export async function startMailCatcher(options: MailpitOptions & { ports?: { http: number; smtp: number } }): Promise<MailCatcher> {
  const { binary } = await provisionMailpit(options);
  const ports = options.ports ?? (await mailCatcherPorts());
  const url = `http://127.0.0.1:${ports.http}`;
  const child: ResultPromise = execa(
    binary,
    ["--listen", `127.0.0.1:${ports.http}`, "--smtp", `127.0.0.1:${ports.smtp}`, "--disable-version-check", "--quiet"],
    { reject: false, all: true, buffer: { all: true } },
  );
  let exited = false;
  void child.then(() => (exited = true));
  const stop = async () => {
    if (!exited) child.kill("SIGTERM");
    await child;
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, smtpPort: ports.smtp, stop };
    if (exited || Date.now() > deadline) {
      await stop();
      const output = String((await child).all ?? "").trim();
      throw new EngineError(`Mailpit did not start on ${url}${output ? `: ${output.split("\n").slice(-3).join(" | ")}` : ""}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The engine variables that send its mail to the catcher. PB_MAIL_FROM_ADDRESS and PB_APP_URL keep the
 * developer's values; by default links point at the dev server itself, so they work when clicked.
 * The catcher is not a real mailbox, so it does not turn on "verified users only" the way a real SMTP
 * server does: sign-up and sign-in work as under `npm start` (PB_REQUIRE_VERIFIED_EMAIL=true tries it).
 */
export function mailCatcherEnvironment(smtpPort: number, env: NodeJS.ProcessEnv, serverUrl: string): Record<string, string> {
  return {
    PB_SMTP_HOST: "127.0.0.1",
    PB_SMTP_PORT: String(smtpPort),
    PB_SMTP_TLS: "off",
    PB_MAIL_FROM_ADDRESS: env.PB_MAIL_FROM_ADDRESS || "noreply@example.com",
    PB_APP_URL: env.PB_APP_URL || serverUrl,
    PB_REQUIRE_VERIFIED_EMAIL: env.PB_REQUIRE_VERIFIED_EMAIL || "false",
  };
}

export interface DevMail {
  /** Extra environment for the engine (empty when PB_SMTP_HOST names a real server). */
  env: Record<string, string>;
  /** What to print beside the API and dashboard URLs. */
  describe(): string;
  stop(): Promise<void>;
}

/**
 * The mail side of `npm run dev`. Ports are chosen and the engine's variables returned at once; Mailpit is
 * obtained and started in the background (building it the first time takes a minute or two), so the dev
 * server never waits for it. If it cannot be had, dev goes on and says so: emails then go nowhere.
 */
export async function devMail(env: NodeJS.ProcessEnv, serverUrl: string, log: Logger): Promise<DevMail> {
  if (env.PB_SMTP_HOST) {
    return { env: {}, describe: () => `Mail: sent through ${env.PB_SMTP_HOST} (PB_SMTP_HOST)`, stop: async () => {} };
  }
  const ports = await mailCatcherPorts();
  const url = `http://127.0.0.1:${ports.http}`;
  let state: "starting" | "ready" | "failed" = "starting";
  const catcher = startMailCatcher({ log, ports }).then(
    (started) => {
      state = "ready";
      log(`✔ Mail catcher ready: ${started.url} (every email the app sends lands there)`);
      return started;
    },
    (error: unknown) => {
      state = "failed";
      log(`✖ No mail catcher: ${error instanceof Error ? error.message : String(error)}\n  Emails are not delivered anywhere.`);
      return null;
    },
  );
  return {
    env: mailCatcherEnvironment(ports.smtp, env, serverUrl),
    describe: () => (state === "failed" ? "Mail: no catcher (see above)" : `Mail ${url}${state === "starting" ? " (starting)" : ""}`),
    stop: async () => void (await (await catcher)?.stop()),
  };
}
