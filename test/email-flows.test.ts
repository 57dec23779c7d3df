// Every account email flow end to end, over real SMTP: the engine (configured only by the PB_SMTP_* /
// PB_APP_* variables, as in production) sends each message to an SMTP server this file starts; the link or
// code is read from the delivered message; the SDK confirms it; the effect is checked on the server.
// Nothing in the engine's mail path is replaced.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createClient, StarterError, type StarterClient } from "../packages/sdk/src/index.js";
import { rejection, uniqueEmail } from "./support/sdk.js";
import { linkIn, otpIn, useTestEngineWithMail } from "./support/smtp.js";

const APP = { name: "Acme Notes", url: "https://notes.acme.example" };
const PASSWORD = "first-password-1";
const confirmPage = (kind: string) => `${APP.url}/_/#/auth/confirm-${kind}/`;

const { engine, smtp } = useTestEngineWithMail({ env: { PB_APP_NAME: APP.name, PB_APP_URL: APP.url } });

/** A new account through the public sign-up; not signed in (unverified users may not sign in here). */
async function signUp(label: string, options: { verified?: boolean } = {}): Promise<{ client: StarterClient; email: string; id: string }> {
  const client = createClient({ url: engine().url });
  const email = uniqueEmail(label);
  const created = await client.pb.collection("users").create({ email, password: PASSWORD, passwordConfirm: PASSWORD });
  if (options.verified) await (await engine().admin()).collection("users").update(created.id, { verified: true });
  return { client, email, id: created.id };
}

async function signedIn(label: string): Promise<{ client: StarterClient; email: string; id: string }> {
  const user = await signUp(label, { verified: true });
  await user.client.auth.login({ email: user.email, password: PASSWORD });
  return user;
}

const apiStatus = async (promise: Promise<unknown>) => {
  const error = await rejection(promise);
  if (!(error instanceof StarterError)) throw error;
  return { kind: error.kind, status: error.status, message: error.message };
};

/**
 * A verification link that lives 10 s (the shortest lifetime the engine allows), issued once the engine
 * is up, so that the other tests run while it expires; the collection's default lifetime comes back at once.
 */
let expiring: Promise<{ user: Awaited<ReturnType<typeof signUp>>; token: string; expires: number }>;
beforeAll(() => {
  expiring = (async () => {
    const admin = await engine().admin();
    const user = await signUp("expired");
    const { verificationToken } = (await admin.collections.getOne("users")) as unknown as { verificationToken: { duration: number } };
    await admin.collections.update("users", { verificationToken: { duration: 10 } });
    const before = smtp().messages.length;
    const issued = Date.now();
    try {
      await user.client.auth.requestVerification({ email: user.email });
      const { token } = linkIn(await smtp().waitFor(user.email, { after: before }), confirmPage("verification"));
      return { user, token, expires: issued + 11_000 };
    } finally {
      await admin.collections.update("users", { verificationToken: { duration: verificationToken.duration } });
    }
  })();
  // Rejections surface in the test that awaits it.
  expiring.catch(() => {});
});

const userAsAdmin = async (id: string) => (await engine().admin()).collection("users").getOne(id);

/** The raw answer (status and body, byte for byte) of a POST to a users auth route. */
async function rawPost(route: string, body: unknown, token = ""): Promise<string> {
  const response = await fetch(`${engine().url}/api/collections/users/${route}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: token } : {}) },
    body: JSON.stringify(body),
  });
  return `${response.status} ${await response.text()}`;
}

describe("verification", () => {
  it("an unverified user cannot sign in; the emailed link verifies the account, and then they can", async () => {
    const before = smtp().messages.length;
    const user = await signUp("verify");
    const refused = await apiStatus(user.client.auth.login({ email: user.email, password: PASSWORD }));
    expect(refused).toMatchObject({ kind: "api", status: 403 });
    expect(refused.message).toMatch(/Verify your email address first/);
    // A wrong password is not told apart by that message: it stays the engine's plain 400.
    expect(await apiStatus(user.client.auth.login({ email: user.email, password: "wrong-password-1" }))).toMatchObject({ status: 400 });

    // The sign-up itself sent the verification email.
    const mail = await smtp().waitFor(user.email, { after: before });
    expect(mail.subject).toBe(`Verify your ${APP.name} email`);
    expect(mail.from).toEqual({ address: "accounts@acme.example.com", name: APP.name });
    expect(mail.html).toContain(`joining us at ${APP.name}`);
    const { token } = linkIn(mail, confirmPage("verification"));

    await user.client.auth.confirmVerification({ token });
    expect((await userAsAdmin(user.id)).verified).toBe(true);
    await expect(user.client.auth.login({ email: user.email, password: PASSWORD })).resolves.toMatchObject({ verified: true });
  });
});

describe("password reset", () => {
  it("the emailed link sets a new password: it signs in, the old one does not, and the link works once", async () => {
    const user = await signUp("reset", { verified: true });
    const before = smtp().messages.length;
    await user.client.auth.requestPasswordReset({ email: user.email });
    const mail = await smtp().waitFor(user.email, { after: before });
    expect(mail.subject).toBe(`Reset your ${APP.name} password`);
    const { url, token } = linkIn(mail, confirmPage("password-reset"));
    expect(url.startsWith(`${APP.url}/`)).toBe(true);

    await user.client.auth.confirmPasswordReset({ token, password: "second-password-2" });
    await expect(user.client.auth.login({ email: user.email, password: "second-password-2" })).resolves.toMatchObject({ id: user.id });
    expect(await apiStatus(user.client.auth.login({ email: user.email, password: PASSWORD }))).toMatchObject({ status: 400 });

    // The same link again: refused (the password change retired it), and the password stays.
    const again = await apiStatus(user.client.auth.confirmPasswordReset({ token, password: "third-password-3" }));
    expect(again).toMatchObject({ kind: "api", status: 400 });
    expect(again.message).toMatch(/Invalid or expired/);
    await expect(user.client.auth.login({ email: user.email, password: "second-password-2" })).resolves.toMatchObject({ id: user.id });
  });
});

describe("email change", () => {
  it("the link sent to the new address moves the account; only the new address signs in", async () => {
    const user = await signedIn("move");
    const newEmail = uniqueEmail("moved");
    const before = smtp().messages.length;
    await user.client.auth.requestEmailChange({ newEmail });
    const mail = await smtp().waitFor(newEmail, { after: before });
    expect(mail.subject).toBe(`Confirm your ${APP.name} new email address`);
    const { token } = linkIn(mail, confirmPage("email-change"));

    // A wrong password is refused and changes nothing.
    expect(await apiStatus(user.client.auth.confirmEmailChange({ token, password: "not-the-password" }))).toMatchObject({ status: 400 });
    expect((await userAsAdmin(user.id)).email).toBe(user.email);

    await user.client.auth.confirmEmailChange({ token, password: PASSWORD });
    expect((await userAsAdmin(user.id)).email).toBe(newEmail);
    expect(await apiStatus(user.client.auth.refresh())).toMatchObject({ status: 401 }); // its sessions ended
    const fresh = createClient({ url: engine().url });
    await expect(fresh.auth.login({ email: newEmail, password: PASSWORD })).resolves.toMatchObject({ id: user.id });
    expect(await apiStatus(fresh.auth.login({ email: user.email, password: PASSWORD }))).toMatchObject({ status: 400 });
  });
});

describe("one-time password", () => {
  it("the emailed code signs in once and never twice", async () => {
    const user = await signUp("otp", { verified: true });
    const methods = await user.client.auth.listAuthMethods();
    expect(methods.otp.enabled).toBe(true); // the engine turns OTP on because mail is configured

    const before = smtp().messages.length;
    const { otpId } = await user.client.auth.requestOTP({ email: user.email });
    const mail = await smtp().waitFor(user.email, { after: before });
    expect(mail.subject).toBe(`OTP for ${APP.name}`);
    const code = otpIn(mail);

    // A wrong code first: refused, and the right one still works afterwards.
    const wrong = String((Number(code) + 1) % 10 ** code.length).padStart(code.length, "0");
    expect(await apiStatus(user.client.auth.loginWithOTP({ otpId, password: wrong }))).toMatchObject({ status: 400 });
    await expect(user.client.auth.loginWithOTP({ otpId, password: code })).resolves.toMatchObject({ id: user.id });
    expect(user.client.auth.user?.id).toBe(user.id);

    const second = createClient({ url: engine().url });
    const reused = await apiStatus(second.auth.loginWithOTP({ otpId, password: code }));
    expect(reused).toMatchObject({ kind: "api", status: 400 });
    expect(reused.message).toMatch(/Invalid or expired OTP/);
    expect(second.auth.user).toBeNull();
  });
});

describe("bad tokens", () => {
  it("are a clear 400 and change nothing", async () => {
    const user = await signUp("badtoken");
    const client = user.client;
    for (const token of ["not-a-token", "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IngifQ.c2ln"]) {
      const verification = await apiStatus(client.auth.confirmVerification({ token }));
      expect(verification).toMatchObject({ kind: "api", status: 400 });
      expect(verification.message).toMatch(/token/i);
      const reset = await apiStatus(client.auth.confirmPasswordReset({ token, password: "hijacked-password" }));
      expect(reset).toMatchObject({ kind: "api", status: 400 });
      expect(reset.message).toMatch(/token/i);
      const change = await apiStatus(client.auth.confirmEmailChange({ token, password: PASSWORD }));
      expect(change).toMatchObject({ kind: "api", status: 400 });
    }
    // A real token of one flow is no token for another.
    const before = smtp().messages.length;
    await client.auth.requestVerification({ email: user.email });
    const { token } = linkIn(await smtp().waitFor(user.email, { after: before }), confirmPage("verification"));
    expect(await apiStatus(client.auth.confirmPasswordReset({ token, password: "hijacked-password" }))).toMatchObject({ status: 400 });
    expect(await apiStatus(client.auth.loginWithOTP({ otpId: "nosuchotp123456", password: "123456" }))).toMatchObject({ status: 400 });

    const after = await userAsAdmin(user.id);
    expect(after).toMatchObject({ verified: false, email: user.email });
    expect(await apiStatus(client.auth.login({ email: user.email, password: "hijacked-password" }))).toMatchObject({ status: 400 });
  });

  it("an expired verification link is refused and leaves the account unverified", async () => {
    const { user, token, expires } = await expiring;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expires - Date.now())));
    const expired = await apiStatus(user.client.auth.confirmVerification({ token }));
    expect(expired).toMatchObject({ kind: "api", status: 400 });
    expect(expired.message).toMatch(/token: Invalid or expired token/);
    expect((await userAsAdmin(user.id)).verified).toBe(false);
  }, 30_000);
});

describe("no answer tells whether an email is registered", () => {
  it("a wrong password answers the same, in the same time, for verified, unverified and unknown accounts", async () => {
    const verified = await signUp("wrong-verified", { verified: true });
    const unverified = await signUp("wrong-unverified");
    const unknown = uniqueEmail("wrong-nobody");
    const attempt = async (email: string) => {
      const started = performance.now();
      const answer = await rawPost("auth-with-password", { identity: email, password: "wrong-password-1" });
      return { answer, ms: performance.now() - started };
    };
    const times: Record<string, number[]> = { verified: [], unverified: [], unknown: [] };
    const answers = new Set<string>();
    // Interleaved, so that load from other test files falls on all three alike.
    for (let round = 0; round < 9; round++) {
      for (const [label, email] of [
        ["verified", verified.email],
        ["unverified", unverified.email],
        ["unknown", unknown],
      ] as const) {
        const { answer, ms } = await attempt(email);
        answers.add(answer);
        times[label]!.push(ms);
      }
    }
    expect([...answers]).toEqual(['400 {"data":{},"message":"Failed to authenticate.","status":400}']);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    // One password hash each (the unverified account cost two before: twice as slow, one request told).
    const ratio = median(times.unverified!) / Math.min(median(times.verified!), median(times.unknown!));
    expect(ratio).toBeLessThan(1.5);
  });

  it("reset, verification, OTP and email change answer a registered address exactly like an unknown one", async () => {
    const registered = await signUp("known", { verified: true });
    const unverified = await signUp("unverified");
    const unknown = uniqueEmail("nobody");
    for (const route of ["request-password-reset", "request-verification"]) {
      const answer = await rawPost(route, { email: unknown });
      expect(answer).toBe("204 ");
      expect(await rawPost(route, { email: registered.email })).toBe(answer);
      expect(await rawPost(route, { email: unverified.email })).toBe(answer);
      expect(await rawPost(route, { email: registered.email.toUpperCase() })).toBe(answer);
    }
    // OTP answers carry a fresh random id either way: the same shape, never the same id twice, also past
    // the 10 codes after which the bare engine hands out its last id again for a registered address.
    const otpAnswers = async (email: string) => {
      const answers: string[] = [];
      for (let i = 0; i < 12; i++) answers.push(await rawPost("request-otp", { email }));
      return answers;
    };
    const shape = (answer: string) => answer.replace(/"otpId":"[a-z0-9]{15}"/, '"otpId":"<id>"');
    const forUnknown = await otpAnswers(unknown);
    const forRegistered = await otpAnswers(registered.email);
    expect(new Set([...forUnknown, ...forRegistered].map(shape))).toEqual(new Set(['200 {"otpId":"<id>"}']));
    expect(new Set(forUnknown).size).toBe(12);
    expect(new Set(forRegistered).size).toBe(12);

    // Email change, signed in: a taken address gets the answer of a free one; its owner gets a notice, no link.
    const mover = await signedIn("mover");
    const token = mover.client.pb.authStore.token;
    const free = await rawPost("request-email-change", { newEmail: uniqueEmail("free") }, token);
    const before = smtp().messages.length;
    expect(await rawPost("request-email-change", { newEmail: registered.email }, token)).toBe(free);
    const notice = await smtp().waitFor(registered.email, { after: before });
    expect(notice.subject).toBe(`${APP.name}: a request to use this address`);
    expect(notice.html).not.toContain("confirm-email-change");
    expect((await userAsAdmin(mover.id)).email).toBe(mover.email);
  });
});

describe("the SDK", () => {
  it("register creates the account, which gets its verification email, and says to verify before signing in", async () => {
    const client = createClient({ url: engine().url });
    const email = uniqueEmail("register");
    const before = smtp().messages.length;
    const error = await rejection(client.auth.register({ email, password: PASSWORD }));
    expect(error).toBeInstanceOf(StarterError);
    expect(error).toMatchObject({ kind: "api", status: 403 });
    expect((error as StarterError).fields.email).toMatch(/Verify your email address first/);
    expect((await smtp().waitFor(email, { after: before })).subject).toBe(`Verify your ${APP.name} email`);
  });

  it("refuses malformed input before any request", async () => {
    const client = createClient({ url: engine().url });
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    try {
      for (const call of [
        client.auth.requestPasswordReset({ email: "not-an-email" }),
        client.auth.requestVerification({ email: "" }),
        client.auth.requestOTP({ email: "a@" }),
        client.auth.confirmPasswordReset({ token: "t", password: "short" }),
        client.auth.confirmVerification({ token: "" }),
        client.auth.loginWithOTP({ otpId: "x", password: "" }),
        client.auth.loginWithOAuth2({ provider: "oidc", code: "c", codeVerifier: "v", redirectURL: "not a url" }),
      ]) {
        expect(await apiStatus(call)).toMatchObject({ kind: "invalid_input", status: 400 });
      }
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });
});
