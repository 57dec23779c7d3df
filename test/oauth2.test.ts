// Sign-in with OAuth2, end to end against a real OpenID Connect provider on loopback (oauth2-mock-server
// issues signed tokens and checks PKCE): the engine is configured only by the PB_OAUTH2_OIDC_* variables,
// lists the provider, exchanges the code with the provider itself, and creates or links the user by the
// provider's verified email. This engine has no SMTP server, which the last part checks too.
import { OAuth2Server } from "oauth2-mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, StarterError, type StarterClient } from "../packages/sdk/src/index.js";
import { useTestEngine } from "./support/engine.js";
import { rejection, uniqueEmail } from "./support/sdk.js";

/** What the provider says about the user who signs in next. */
interface Identity {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
}

const provider = new OAuth2Server();
let providerUp = false;
let identity: Identity = { sub: "nobody", email: "", email_verified: false };
const env: Record<string, string> = {};
// Runs before the engine's beforeAll (registered below): the engine reads the provider's URLs at start.
beforeAll(async () => {
  await provider.issuer.keys.generate("RS256");
  await provider.start(0, "127.0.0.1");
  providerUp = true;
  provider.service.on("beforeUserinfo", (response: { body: unknown }) => {
    response.body = { ...identity };
  });
  const issuer = provider.issuer.url!;
  Object.assign(env, {
    PB_OAUTH2_OIDC_CLIENT_ID: "starter-app",
    PB_OAUTH2_OIDC_CLIENT_SECRET: "starter-secret",
    PB_OAUTH2_OIDC_AUTH_URL: `${issuer}/authorize`,
    PB_OAUTH2_OIDC_TOKEN_URL: `${issuer}/token`,
    PB_OAUTH2_OIDC_USERINFO_URL: `${issuer}/userinfo`,
    PB_OAUTH2_OIDC_NAME: "Acme ID",
  });
});
afterAll(async () => {
  if (providerUp) await provider.stop();
});
const engine = useTestEngine({ env });

/** Where the app would receive the provider's redirect; never contacted (the test reads the redirect). */
const REDIRECT_URL = "http://127.0.0.1:9/oauth2-redirect";

/**
 * The whole sign-in as an app that handles the redirect itself: listAuthMethods, the user at the
 * provider's authorize page (which redirects with a code), then the SDK's code exchange.
 */
async function signInWithProvider(client: StarterClient, who: Identity) {
  identity = who;
  const methods = await client.auth.listAuthMethods();
  const oidc = methods.oauth2.providers.find((p) => p.name === "oidc");
  if (!oidc) throw new Error("the engine does not list the oidc provider");
  const authorize = await fetch(oidc.authURL + encodeURIComponent(REDIRECT_URL), { redirect: "manual" });
  expect(authorize.status).toBe(302);
  const redirect = new URL(authorize.headers.get("location")!);
  expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URL);
  expect(redirect.searchParams.get("state")).toBe(oidc.state);
  const code = redirect.searchParams.get("code")!;
  return client.auth.loginWithOAuth2({ provider: "oidc", code, codeVerifier: oidc.codeVerifier, redirectURL: REDIRECT_URL });
}

const newIdentity = (label: string): Identity => ({ sub: `sub-${uniqueEmail(label)}`, email: uniqueEmail(label), email_verified: true });

async function apiError(promise: Promise<unknown>) {
  const error = await rejection(promise);
  if (!(error instanceof StarterError)) throw error;
  return error;
}

describe("OAuth2 sign-in with an OpenID Connect provider", () => {
  it("lists the provider, with what an app needs to send the user there", async () => {
    const methods = await createClient({ url: engine().url }).auth.listAuthMethods();
    expect(methods.oauth2.enabled).toBe(true);
    expect(methods.oauth2.providers.map((p) => p.name)).toEqual(["oidc"]);
    const oidc = methods.oauth2.providers[0]!;
    expect(oidc.displayName).toBe("Acme ID");
    const url = new URL(`${oidc.authURL}x`);
    expect(`${url.origin}${url.pathname}`).toBe(env.PB_OAUTH2_OIDC_AUTH_URL);
    expect(url.searchParams.get("client_id")).toBe("starter-app");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(oidc.codeVerifier.length).toBeGreaterThanOrEqual(43);
    expect(methods.password.enabled).toBe(true);
    expect(methods.otp.enabled).toBe(false); // no SMTP here: nobody could receive the code
  });

  it("creates a verified user on the first sign-in, and signs the same user in the second time", async () => {
    const who = { ...newIdentity("oauth"), name: "Ada Lovelace" };
    const client = createClient({ url: engine().url });
    const first = await signInWithProvider(client, who);
    expect(first).toMatchObject({ email: who.email, verified: true, name: "Ada Lovelace" });
    expect(client.auth.user?.id).toBe(first.id);

    const again = createClient({ url: engine().url });
    expect((await signInWithProvider(again, who)).id).toBe(first.id);
    const admin = await engine().admin();
    expect(await admin.collection("users").getFullList({ filter: admin.filter("email = {:e}", { e: who.email }) })).toHaveLength(1);

    // Owner-only rules are unchanged for a provider's user: they see themselves, nobody else.
    const other = await signInWithProvider(createClient({ url: engine().url }), newIdentity("other"));
    const visible = await client.collection("users").listAll();
    expect(visible.map((u) => u.id)).toEqual([first.id]);
    expect(visible.map((u) => u.id)).not.toContain(other.id);
  });

  it("links an existing account with the same verified email instead of making a second one", async () => {
    const email = uniqueEmail("linked");
    const password = "own-password-1";
    const client = createClient({ url: engine().url });
    const own = await client.auth.register({ email, password });
    await (await engine().admin()).collection("users").update(own.id, { verified: true });

    const viaProvider = await signInWithProvider(createClient({ url: engine().url }), { sub: `sub-${email}`, email, email_verified: true });
    expect(viaProvider.id).toBe(own.id);
    // The account's own password still works: linking a verified account changes nothing else.
    await expect(createClient({ url: engine().url }).auth.login({ email, password })).resolves.toMatchObject({ id: own.id });
  });

  it("takes an unverified account with that email away from whoever made it (their password stops working)", async () => {
    const email = uniqueEmail("prehijack");
    const squatter = createClient({ url: engine().url });
    const squatted = await squatter.auth.register({ email, password: "squatter-pass-1" });
    const owner = await signInWithProvider(createClient({ url: engine().url }), { sub: `sub-${email}`, email, email_verified: true });
    expect(owner).toMatchObject({ id: squatted.id, verified: true });
    expect((await apiError(createClient({ url: engine().url }).auth.login({ email, password: "squatter-pass-1" }))).status).toBe(400);
  });

  it("does not link by an email the provider has not verified", async () => {
    const email = uniqueEmail("unverified-claim");
    const victim = await createClient({ url: engine().url }).auth.register({ email, password: "victim-pass-12" });
    const client = createClient({ url: engine().url });
    // The engine ignores an unverified email; a new account then has none, which the users collection
    // refuses (email is required): a clear 400 naming the field.
    const refused = await apiError(signInWithProvider(client, { sub: `attacker-${email}`, email, email_verified: false }));
    expect(refused).toMatchObject({ kind: "api", status: 400, fields: { email: "Cannot be blank." } });
    expect(client.auth.user?.id).not.toBe(victim.id);
    await expect(createClient({ url: engine().url }).auth.login({ email, password: "victim-pass-12" })).resolves.toMatchObject({
      id: victim.id,
    });
  });

  it("refuses a made-up code, a wrong verifier and an unknown provider with a clear 400", async () => {
    const client = createClient({ url: engine().url });
    identity = newIdentity("verifier");
    const oidc = (await client.auth.listAuthMethods()).oauth2.providers[0]!;
    const authorize = await fetch(oidc.authURL + encodeURIComponent(REDIRECT_URL), { redirect: "manual" });
    const code = new URL(authorize.headers.get("location")!).searchParams.get("code")!;
    const stolen = await apiError(
      client.auth.loginWithOAuth2({ provider: "oidc", code, codeVerifier: "y".repeat(43), redirectURL: REDIRECT_URL }),
    );
    expect(stolen).toMatchObject({ kind: "api", status: 400 });

    const bad = await apiError(
      client.auth.loginWithOAuth2({ provider: "oidc", code: "made-up", codeVerifier: "x".repeat(43), redirectURL: REDIRECT_URL }),
    );
    expect(bad).toMatchObject({ kind: "api", status: 400 });
    expect(bad.message).toMatch(/Failed to fetch OAuth2 token/);
    const unknown = await apiError(
      client.auth.loginWithOAuth2({ provider: "facebook", code: "c", codeVerifier: "v", redirectURL: REDIRECT_URL }),
    );
    expect(unknown).toMatchObject({ kind: "api", status: 400 });
    expect(unknown.fields.provider).toMatch(/missing or is not enabled/);
    expect(client.auth.user).toBeNull();
  });

  it("answers a clear 400 while the provider is down (and still lists it)", async () => {
    const client = createClient({ url: engine().url });
    identity = newIdentity("down");
    const oidc = (await client.auth.listAuthMethods()).oauth2.providers[0]!;
    const authorize = await fetch(oidc.authURL + encodeURIComponent(REDIRECT_URL), { redirect: "manual" });
    const code = new URL(authorize.headers.get("location")!).searchParams.get("code")!;
    await provider.stop();
    providerUp = false;

    const down = await apiError(
      client.auth.loginWithOAuth2({ provider: "oidc", code, codeVerifier: oidc.codeVerifier, redirectURL: REDIRECT_URL }),
    );
    expect(down).toMatchObject({ kind: "api", status: 400 });
    expect(down.message).toMatch(/Failed to fetch OAuth2 token/);
    expect(client.auth.user).toBeNull();
    expect((await client.auth.listAuthMethods()).oauth2.providers.map((p) => p.name)).toEqual(["oidc"]);
  });
});

describe("without an SMTP server", () => {
  it("warns once at start, and the email flows answer as usual without logging an error per request", async () => {
    const output = engine().running.output();
    expect(output.match(/Warning: no SMTP server configured/g)).toHaveLength(1);
    expect(output).toMatch(/password reset.*not sent/);

    const client = createClient({ url: engine().url });
    const user = await client.auth.register({ email: uniqueEmail("nomail"), password: "no-mail-pass-1" });
    await client.auth.requestVerification({ email: user.email! });
    await client.auth.requestPasswordReset({ email: user.email! });
    await client.auth.requestEmailChange({ newEmail: uniqueEmail("nomail-new") });
    const otp = await apiError(client.auth.requestOTP({ email: user.email! }));
    expect(otp).toMatchObject({ kind: "api", status: 403 }); // OTP is off: the code could not be delivered

    await new Promise((resolve) => setTimeout(resolve, 500)); // the engine sends in the background
    const admin = await engine().admin();
    const errors = await admin.logs.getList(1, 50, { filter: "level >= 8" });
    expect(errors.items.map((log) => log.message)).toEqual([]);
    expect(engine().running.output()).not.toMatch(/sendmail|Failed to send/i);
  });
});
