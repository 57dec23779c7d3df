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

export interface AuthApi {
  /** Creates the account and signs in as it. */
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
}

const users = collections.users.name;
const authResponseSchema = z.object({ token: z.string().min(1), record: userRecordSchema });

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
  };
}
