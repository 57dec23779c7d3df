import { afterEach, describe, expect, it, vi } from "vitest";
import { createClient, StarterError } from "../packages/sdk/src/index.js";
import { useTestEngine } from "./support/engine.js";
import { PASSWORD, rejection, signedUp, uniqueEmail } from "./support/sdk.js";

const engine = useTestEngine();

afterEach(() => {
  vi.restoreAllMocks();
});

describe("auth", () => {
  it("register creates the account and signs in, exposing only public fields", async () => {
    const client = createClient({ url: engine().url });
    const email = uniqueEmail();
    const user = await client.auth.register({ email, password: PASSWORD });
    expect(user.email).toBe(email);
    expect(user.verified).toBe(false);
    expect(user).not.toHaveProperty("password");
    expect(user).not.toHaveProperty("tokenKey");
    expect(client.auth.user).toEqual(user);
    // The account really exists on the server.
    const admin = await engine().admin();
    expect((await admin.collection("users").getOne(user.id)).email).toBe(email);
  });

  it("refuses a bad sign-up before any request, listing each field", async () => {
    const client = createClient({ url: engine().url });
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const error = await rejection(client.auth.register({ email: "not-an-email", password: "short" }));
    expect(error).toBeInstanceOf(StarterError);
    expect(error).toMatchObject({ kind: "invalid_input", status: 400 });
    expect((error as StarterError).fields).toEqual({
      email: "Must be a valid email address.",
      password: "Must be at least 8 character(s).",
    });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("reports a taken email as a field error from the server", async () => {
    const first = await signedUp(engine());
    const error = (await rejection(
      createClient({ url: engine().url }).auth.register({ email: first.email, password: PASSWORD }),
    )) as StarterError;
    expect(error).toBeInstanceOf(StarterError);
    expect(error).toMatchObject({ kind: "api", status: 400 });
    expect(Object.keys(error.fields)).toContain("email");
  });

  it("login, logout and refresh", async () => {
    const { email } = await signedUp(engine());
    const client = createClient({ url: engine().url });
    expect(client.auth.user).toBeNull();

    const wrong = (await rejection(client.auth.login({ email, password: "wrong-password" }))) as StarterError;
    expect(wrong).toMatchObject({ kind: "api", status: 400 });
    expect(client.auth.user).toBeNull();

    const user = await client.auth.login({ email, password: PASSWORD });
    expect(client.auth.user?.id).toBe(user.id);
    expect((await client.auth.refresh()).id).toBe(user.id);
    expect(client.pb.authStore.isValid).toBe(true);

    client.auth.logout();
    expect(client.auth.user).toBeNull();
    const refresh = (await rejection(client.auth.refresh())) as StarterError;
    expect(refresh).toMatchObject({ kind: "api", status: 401 });
  });

  it("logoutEverywhere revokes every token of that user, and only that user", async () => {
    const laptop = await signedUp(engine(), "alice");
    const phone = createClient({ url: engine().url });
    await phone.auth.login({ email: laptop.email, password: PASSWORD });
    const bob = await signedUp(engine(), "bob");
    const aliceId = laptop.auth.user!.id;
    const oldToken = phone.pb.authStore.token;

    await laptop.auth.logoutEverywhere();
    expect(laptop.auth.user).toBeNull();

    // The phone's token (issued before) is now refused by the server...
    const refresh = (await rejection(phone.auth.refresh())) as StarterError;
    expect(refresh.status).toBe(401);
    const res = await fetch(`${engine().url}/api/collections/users/records/${aliceId}`, { headers: { Authorization: oldToken } });
    expect(res.status).toBe(404); // treated as a guest: the own-record rule no longer matches
    // ...while Bob's session is untouched.
    expect((await bob.auth.refresh()).email).toBe(bob.email);
    // Alice can sign in again.
    expect((await laptop.auth.login({ email: laptop.email, password: PASSWORD })).id).toBe(aliceId);
  });

  it("logoutEverywhere needs a signed-in user", async () => {
    const error = (await rejection(createClient({ url: engine().url }).auth.logoutEverywhere())) as StarterError;
    expect(error).toMatchObject({ kind: "api", status: 401 });
  });

  it("turns an unreachable server into a network error", async () => {
    const client = createClient({ url: "http://127.0.0.1:9" });
    const error = (await rejection(client.auth.login({ email: "a@example.com", password: PASSWORD }))) as StarterError;
    expect(error).toMatchObject({ kind: "network", status: 0 });
  });

  it("refuses a client without a valid URL", () => {
    expect(() => createClient({ url: "not a url" })).toThrow(StarterError);
  });
});
