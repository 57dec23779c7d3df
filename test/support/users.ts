import { randomUUID } from "node:crypto";
import { ClientResponseError, type RecordModel } from "pocketbase";
import type PocketBase from "pocketbase";
import type { TestEngine } from "./engine.js";

/** A registered user with a client signed in as them. */
export interface TestUser {
  id: string;
  email: string;
  password: string;
  client: PocketBase;
}

/** The body of an API error, as the engine sent it. */
export interface ApiErrorBody {
  status: number;
  message: string;
  data: Record<string, { code?: string; message?: string } | undefined>;
}

/** A unique, valid email for a fresh test user. */
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

/**
 * Registers a user through the public sign-up endpoint (the way any visitor would) and signs them in,
 * so tests exercise the real users rules rather than superuser shortcuts.
 */
export async function registerUser(engine: Pick<TestEngine, "client">, prefix = "user"): Promise<TestUser> {
  const email = uniqueEmail(prefix);
  const password = `pw-${randomUUID()}`;
  const client = engine.client();
  const created = await client.collection("users").create({ email, password, passwordConfirm: password });
  await client.collection("users").authWithPassword(email, password);
  return { id: created.id, email, password, client };
}

/** Runs a call that must fail, and returns the engine's status and body (fails the test if it succeeds). */
export async function apiError(call: Promise<unknown>): Promise<ApiErrorBody> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ClientResponseError && error.status > 0) {
      const body = error.response as { message?: unknown; data?: ApiErrorBody["data"] };
      return { status: error.status, message: typeof body.message === "string" ? body.message : "", data: body.data ?? {} };
    }
    throw error;
  }
  throw new Error("Expected the request to be refused, but it succeeded.");
}

/** The record as the superuser sees it, or null when it does not exist. */
export async function findAsSuperuser(admin: PocketBase, collection: string, id: string): Promise<RecordModel | null> {
  try {
    return await admin.collection(collection).getOne(id);
  } catch (error) {
    if (error instanceof ClientResponseError && error.status === 404) return null;
    throw error;
  }
}

/** A raw HTTP call to the engine, for requests the SDK would reshape (bad JSON, odd bodies, batch). */
export async function rawRequest(
  engine: Pick<TestEngine, "url">,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = options.token;
  const response = await fetch(`${engine.url}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}
