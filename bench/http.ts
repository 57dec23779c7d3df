// Minimal JSON-over-HTTP helpers for the bench's setup steps (seeding, tokens, schema import).
// Plain fetch on purpose: the bench measures the engine, not a client library.

/** A setup request that did not answer 2xx; the message carries the engine's own error text. */
export class BenchHttpError extends Error {
  override readonly name = "BenchHttpError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface JsonRequest {
  method?: string;
  token?: string;
  body?: unknown;
  timeoutMs?: number;
}

/** Sends one JSON request and returns the parsed body; throws BenchHttpError on a non-2xx answer. */
export async function requestJson<T>(url: string, options: JsonRequest = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = options.token;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(url, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 180_000),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new BenchHttpError(
      response.status,
      `${options.method ?? "GET"} ${new URL(url).pathname} → ${response.status}: ${text.slice(0, 500)}`,
    );
  }
  return (text ? JSON.parse(text) : undefined) as T;
}
