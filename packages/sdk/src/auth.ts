import type PocketBase from "pocketbase";
import { z } from "zod";
import { collections, userCreateInputSchema, userRecordSchema, type UserRecord } from "./generated/index.js";
import { parseInput, parseResponse, request } from "./validation.js";

/** Sign-up takes what the users collection needs: an email and a password within its limits. */
export const registerInputSchema = userCreateInputSchema.pick({ email: true, password: true });
export type RegisterInput = z.input<typeof registerInputSchema>;

/** Sign-in only checks that both are there: the password rules may have changed since sign-up. */
export const loginInputSchema = z.strictObject({
  email: z.string().min(1, "Cannot be blank."),
  password: z.string().min(1, "Cannot be blank."),
});
export type LoginInput = z.input<typeof loginInputSchema>;

const token = z.string().min(1, "Cannot be blank.");
const newPassword = userCreateInputSchema.shape.password;

/** An email to send a link or a code to (verification, password reset, one-time password). */
export const emailInputSchema = userCreateInputSchema.pick({ email: true });
export type EmailInput = z.input<typeof emailInputSchema>;

/** The token from a verification email's link. */
export const tokenInputSchema = z.strictObject({ token });
export type TokenInput = z.input<typeof tokenInputSchema>;

/** The token from a password reset email's link, and the new password (within the sign-up limits). */
export const confirmPasswordResetInputSchema = z.strictObject({ token, password: newPassword });
export type ConfirmPasswordResetInput = z.input<typeof confirmPasswordResetInputSchema>;

/** The address to move the signed-in account to. */
export const requestEmailChangeInputSchema = z.strictObject({ newEmail: userCreateInputSchema.shape.email });
export type RequestEmailChangeInput = z.input<typeof requestEmailChangeInputSchema>;

/** The token from the email sent to the new address, and the account's current password. */
export const confirmEmailChangeInputSchema = z.strictObject({ token, password: z.string().min(1, "Cannot be blank.") });
export type ConfirmEmailChangeInput = z.input<typeof confirmEmailChangeInputSchema>;

/** The id requestOTP answered, and the one-time password from the email. */
export const otpLoginInputSchema = z.strictObject({ otpId: token, password: z.string().min(1, "Cannot be blank.").max(71) });
export type OTPLoginInput = z.input<typeof otpLoginInputSchema>;

/**
 * The OAuth2 code exchange, for an app that handles the provider's redirect itself (a server, a mobile
 * app): `code` from the redirect, and the provider's `codeVerifier` from listAuthMethods (kept by the app
 * between the two steps), with the same `redirectURL` the app appended to `authURL`.
 */
export const oauth2LoginInputSchema = z.strictObject({
  provider: z.string().min(1, "Cannot be blank."),
  code: token,
  codeVerifier: z.string(),
  redirectURL: z.url({ error: "Must be a URL." }),
});
export type OAuth2LoginInput = z.input<typeof oauth2LoginInputSchema>;

/** One OAuth2 provider of listAuthMethods: send the user to `authURL + encodeURIComponent(redirectURL)`. */
export const oauth2ProviderSchema = z.object({
  name: z.string(),
  displayName: z.string(),
  /** Compare it with the `state` of the redirect before exchanging the code. */
  state: z.string(),
  authURL: z.string(),
  codeVerifier: z.string(),
  codeChallenge: z.string(),
  codeChallengeMethod: z.string(),
});
export type OAuth2Provider = z.output<typeof oauth2ProviderSchema>;

/** How users can sign in on this server. */
export const authMethodsSchema = z.object({
  password: z.object({ enabled: z.boolean(), identityFields: z.array(z.string()) }),
  oauth2: z.object({ enabled: z.boolean(), providers: z.array(oauth2ProviderSchema) }),
  otp: z.object({ enabled: z.boolean(), duration: z.number() }),
  mfa: z.object({ enabled: z.boolean(), duration: z.number() }),
});
export type AuthMethods = z.output<typeof authMethodsSchema>;

export interface AuthApi {
  /**
   * Creates the account and signs in as it. Where only verified users may sign in, the account is
   * created, the server emails the verification link, and this throws a 403 StarterError whose
   * `fields.email` says to verify first: sign in with `login` once the link was followed.
   */
  register(input: RegisterInput): Promise<UserRecord>;
  login(input: LoginInput): Promise<UserRecord>;
  /** Forgets the token on this client only; see logoutEverywhere to revoke it. */
  logout(): void;
  /** Exchanges the current token for a fresh one (and reloads the user). */
  refresh(): Promise<UserRecord>;
  /** Revokes every token of this user on the server (all devices), then forgets the local one. */
  logoutEverywhere(): Promise<void>;
  /**
   * The signed-in user, or null (no token, an expired token, or not a regular user). Throws a
   * StarterError (invalid_response) when the stored record does not match the generated schema.
   */
  readonly user: UserRecord | null;

  /**
   * Emails a verification link (when the address belongs to an unverified account). Answers the same
   * whether or not the address is registered.
   */
  requestVerification(input: EmailInput): Promise<void>;
  /** Marks the account verified; an invalid or expired token is a StarterError (api, 400). */
  confirmVerification(input: TokenInput): Promise<void>;
  /** Emails a password reset link. Answers the same whether or not the address is registered. */
  requestPasswordReset(input: EmailInput): Promise<void>;
  /** Sets the new password and signs out every session of that account; does not sign in. */
  confirmPasswordReset(input: ConfirmPasswordResetInput): Promise<void>;
  /** Emails a confirmation link to the new address (signed in only). Answers alike if it is taken. */
  requestEmailChange(input: RequestEmailChangeInput): Promise<void>;
  /** Moves the account to the new address; the account's sessions end (sign in again with it). */
  confirmEmailChange(input: ConfirmEmailChangeInput): Promise<void>;
  /**
   * Emails a one-time password; answers an `otpId` (also for an unknown address, where it leads
   * nowhere). Needs OTP enabled, which the engine does when mail is configured.
   */
  requestOTP(input: EmailInput): Promise<{ otpId: string }>;
  /** Signs in with the emailed one-time password; each works once. Marks the email verified. */
  loginWithOTP(input: OTPLoginInput): Promise<UserRecord>;
  /** Password, OAuth2 (with each provider's authURL, state and PKCE verifier), OTP and MFA settings. */
  listAuthMethods(): Promise<AuthMethods>;
  /** Signs in (or up) with an OAuth2 provider's authorization code; see oauth2LoginInputSchema. */
  loginWithOAuth2(input: OAuth2LoginInput): Promise<UserRecord>;
}

const users = collections.users.name;
const authResponseSchema = z.object({ token: z.string().min(1), record: userRecordSchema });
const done = z.literal(true);
const otpResponseSchema = z.object({ otpId: z.string().min(1) });

export function createAuthApi(pb: PocketBase): AuthApi {
  const login = async (input: LoginInput): Promise<UserRecord> => {
    const { email, password } = parseInput(loginInputSchema, input, "sign-in");
    const auth = await request(authResponseSchema, "sign-in answer", () => pb.collection(users).authWithPassword(email, password));
    return auth.record;
  };

  return {
    async register(input) {
      const { email, password } = parseInput(registerInputSchema, input, "sign-up");
      await request(userRecordSchema, "new user", () => pb.collection(users).create({ email, password, passwordConfirm: password }));
      return login({ email, password });
    },
    login,
    logout() {
      pb.authStore.clear();
    },
    async refresh() {
      const auth = await request(authResponseSchema, "refreshed session", () => pb.collection(users).authRefresh());
      return auth.record;
    },
    async logoutEverywhere() {
      await request(z.unknown(), "logout answer", () => pb.send("/api/starter/logout-everywhere", { method: "POST" }));
      pb.authStore.clear();
    },
    get user() {
      const record = pb.authStore.record;
      if (!pb.authStore.isValid || !record || record.collectionName !== users) return null;
      return parseResponse(userRecordSchema, record, "signed-in user");
    },
    async requestVerification(input) {
      const { email } = parseInput(emailInputSchema, input, "verification request");
      await request(done, "verification request answer", () => pb.collection(users).requestVerification(email));
    },
    async confirmVerification(input) {
      const { token } = parseInput(tokenInputSchema, input, "verification");
      await request(done, "verification answer", () => pb.collection(users).confirmVerification(token));
    },
    async requestPasswordReset(input) {
      const { email } = parseInput(emailInputSchema, input, "password reset request");
      await request(done, "password reset request answer", () => pb.collection(users).requestPasswordReset(email));
    },
    async confirmPasswordReset(input) {
      const { token, password } = parseInput(confirmPasswordResetInputSchema, input, "password reset");
      await request(done, "password reset answer", () => pb.collection(users).confirmPasswordReset(token, password, password));
    },
    async requestEmailChange(input) {
      const { newEmail } = parseInput(requestEmailChangeInputSchema, input, "email change request");
      await request(done, "email change request answer", () => pb.collection(users).requestEmailChange(newEmail));
    },
    async confirmEmailChange(input) {
      const { token, password } = parseInput(confirmEmailChangeInputSchema, input, "email change");
      await request(done, "email change answer", () => pb.collection(users).confirmEmailChange(token, password));
    },
    async requestOTP(input) {
      const { email } = parseInput(emailInputSchema, input, "one-time password request");
      const { otpId } = await request(otpResponseSchema, "one-time password request answer", () => pb.collection(users).requestOTP(email));
      return { otpId };
    },
    async loginWithOTP(input) {
      const { otpId, password } = parseInput(otpLoginInputSchema, input, "one-time password sign-in");
      const auth = await request(authResponseSchema, "sign-in answer", () => pb.collection(users).authWithOTP(otpId, password));
      return auth.record;
    },
    async listAuthMethods() {
      return request(authMethodsSchema, "auth methods", () => pb.collection(users).listAuthMethods());
    },
    async loginWithOAuth2(input) {
      const { provider, code, codeVerifier, redirectURL } = parseInput(oauth2LoginInputSchema, input, "OAuth2 sign-in");
      const auth = await request(authResponseSchema, "sign-in answer", () =>
        pb.collection(users).authWithOAuth2Code(provider, code, codeVerifier, redirectURL),
      );
      return auth.record;
    },
  };
}
