// A real SMTP server for tests (the smtp-server npm package on loopback): the engine connects to it and
// delivers over the SMTP protocol exactly as it would to a provider; each message is parsed from its raw
// bytes (mailparser), so links and codes are read from what was really sent.
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll } from "vitest";
import { useTestEngine, type StartOptions, type TestEngine } from "./engine.js";

export interface ReceivedMail {
  to: string[];
  from: { address: string; name: string };
  subject: string;
  html: string;
  text: string;
}

export interface SmtpCatcher {
  port: number;
  /** Every message received so far, oldest first. */
  messages: ReceivedMail[];
  /** The engine variables that send mail here (no TLS, no login: loopback only). */
  env(): Record<string, string>;
  /** The first message to `address` received after `after` messages (default: any), within `timeoutMs`. */
  waitFor(address: string, options?: { after?: number; timeoutMs?: number }): Promise<ReceivedMail>;
  /** How many messages went to `address` so far. */
  countTo(address: string): number;
  stop(): Promise<void>;
}

/**
 * Vitest helper: an SMTP catcher and a test engine that sends its mail there (PB_SMTP_*), both for the
 * whole file. The catcher starts first: the engine must know its port when it starts.
 */
export function useTestEngineWithMail(options: StartOptions = {}): { engine: () => TestEngine; smtp: () => SmtpCatcher } {
  let smtp: SmtpCatcher | undefined;
  const env: Record<string, string> = { ...options.env };
  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    Object.assign(env, smtp.env());
  });
  afterAll(async () => {
    await smtp?.stop();
  });
  const engine = useTestEngine({ ...options, env });
  return {
    engine,
    smtp: () => {
      if (!smtp) throw new Error("The SMTP catcher is not running (did beforeAll fail?)");
      return smtp;
    },
  };
}

export async function startSmtpCatcher(): Promise<SmtpCatcher> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) =>
            a.value.map((v) => (v.address ?? "").toLowerCase()),
          );
          const from = mail.from?.value[0];
          messages.push({
            to,
            from: { address: from?.address ?? "", name: from?.name ?? "" },
            subject: mail.subject ?? "",
            html: typeof mail.html === "string" ? mail.html : "",
            text: mail.text ?? "",
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.server.address();
  if (typeof address !== "object" || !address) throw new Error("smtp-server has no address");
  const port = address.port;

  const matching = (to: string) => (mail: ReceivedMail) => mail.to.includes(to.toLowerCase());
  return {
    port,
    messages,
    env: () => ({
      PB_SMTP_HOST: "127.0.0.1",
      PB_SMTP_PORT: String(port),
      PB_SMTP_TLS: "off",
      PB_MAIL_FROM_ADDRESS: "accounts@acme.example.com",
    }),
    async waitFor(to, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 10_000);
      for (;;) {
        const found = messages.slice(options.after ?? 0).find(matching(to));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`No email to ${to} arrived (${messages.length} received in all).`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    countTo: (to) => messages.filter(matching(to)).length,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link in an email that starts with `prefix`, and the token at its end. */
export function linkIn(mail: ReceivedMail, prefix: string): { url: string; token: string } {
  const hrefs = [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&"));
  const url = hrefs.find((href) => href.startsWith(prefix));
  if (!url) throw new Error(`No link starting with ${prefix} in "${mail.subject}": ${hrefs.join(", ")}`);
  return { url, token: url.slice(prefix.length) };
}

/** The one-time password in an OTP email. */
export function otpIn(mail: ReceivedMail): string {
  const code = /<strong>(\d+)<\/strong>/.exec(mail.html)?.[1];
  if (!code) throw new Error(`No one-time password in "${mail.subject}"`);
  return code;
}
