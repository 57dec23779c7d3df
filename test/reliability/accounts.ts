// Accounts for the reliability scenarios: many users signed up through the public API, the
// superuser's token, and the default categories. Raw HTTP, so nothing here hides a failure.
import { randomUUID } from "node:crypto";
import { COLLECTIONS as DECLARED } from "../../pb_hooks/lib/collections.js";
import { api, describeResponse, isOk } from "./http.js";

/** The reference categories every instance has (declared in pb_hooks/lib/collections.ts). */
const DEFAULT_CATEGORY_NAMES = DECLARED.categories.records.map((record) => record.name);

export interface Account {
  id: string;
  email: string;
  password: string;
  token: string;
}

interface AuthBody {
  token: string;
  record: { id: string };
}

/** Signs in through auth-with-password and returns the token and record id (throws on refusal). */
export async function signIn(baseUrl: string, collection: string, email: string, password: string): Promise<AuthBody> {
  const path = `/api/collections/${collection}/auth-with-password`;
  const response = await api(baseUrl, "POST", path, { json: { identity: email, password } });
  if (!isOk(response)) throw new Error(`sign-in failed: ${describeResponse("POST", path, response)}`);
  return response.body as AuthBody;
}

/** Signs up one user through the open sign-up endpoint and signs them in. */
export async function signUp(baseUrl: string, label: string): Promise<Account> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pw-${randomUUID()}`;
  const path = `/api/collections/${"users"}/records`;
  const created = await api(baseUrl, "POST", path, { json: { email, password, passwordConfirm: password } });
  if (!isOk(created)) throw new Error(`sign-up failed: ${describeResponse("POST", path, created)}`);
  const auth = await signIn(baseUrl, "users", email, password);
  return { id: auth.record.id, email, password, token: auth.token };
}

/**
 * Signs up `count` users with at most `parallelism` sign-ups in flight: bcrypt makes each one cost
 * tens of milliseconds of CPU, and a flood of them would only measure the password hasher.
 */
export async function signUpMany(baseUrl: string, count: number, parallelism: number, label = "user"): Promise<Account[]> {
  const accounts: Account[] = new Array<Account>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      accounts[index] = await signUp(baseUrl, `${label}${index}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, count) }, worker));
  return accounts;
}

/** The superuser's token (superusers bypass every rule: used only to check state, never in the load). */
export async function superuserToken(baseUrl: string, superuser: { email: string; password: string }): Promise<string> {
  return (await signIn(baseUrl, "_superusers", superuser.email, superuser.password)).token;
}

/** Ids of the default categories, in DEFAULT_CATEGORY_NAMES order. */
export async function defaultCategoryIds(baseUrl: string, token: string): Promise<string[]> {
  const path = `/api/collections/${"categories"}/records?perPage=100`;
  const response = await api(baseUrl, "GET", path, { token });
  if (!isOk(response)) throw new Error(`categories: ${describeResponse("GET", path, response)}`);
  const items = (response.body as { items: Array<{ id: string; name: string }> }).items;
  return DEFAULT_CATEGORY_NAMES.map((name) => {
    const found = items.find((item) => item.name === name);
    if (!found) throw new Error(`default category ${name} is missing`);
    return found.id;
  });
}
