// A tiny HTTP client for the auditor: one base URL, an optional token per call, JSON in and out, and
// patience with rate limits (a live instance answers 429 to a burst; the auditor waits and retries).

/** An answer as the auditor records it. */
export interface Answer {
  status: number;
  body: unknown;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** Retries after a 429 (each waits twice as long as the one before, from 2 s). */
  retries?: number;
}

export class AuditHttp {
  /** How many 429s were waited out: a live instance's limits, reported with the results. */
  throttled = 0;

  constructor(readonly url: string) {}

  async call(method: string, apiPath: string, options: CallOptions = {}): Promise<Answer> {
    const retries = options.retries ?? 5;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {};
      if (options.token) headers.Authorization = options.token;
      if (options.body !== undefined) headers["Content-Type"] = "application/json";
      const response = await fetch(`${this.url}${apiPath}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const text = await response.text();
      if (response.status === 429 && attempt < retries) {
        this.throttled++;
        // 2, 4, ... 32 s: five retries outlast a one-minute window (the sign-up and sign-in limits).
        await new Promise((resolve) => setTimeout(resolve, 2_000 * 2 ** attempt));
        continue;
      }
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body };
    }
  }

  /** A call that must succeed (2xx); its body. */
  async ok<T = Record<string, unknown>>(method: string, apiPath: string, options: CallOptions = {}): Promise<T> {
    const answer = await this.call(method, apiPath, options);
    if (answer.status < 200 || answer.status > 299) {
      throw new Error(`${method} ${apiPath} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
    }
    return answer.body as T;
  }
}

/** `/api/collections/<name>/records` plus a query string. */
export function recordsPath(collection: string, query: Record<string, string> = {}, id?: string): string {
  const search = new URLSearchParams(query).toString();
  return `/api/collections/${encodeURIComponent(collection)}/records${id ? `/${encodeURIComponent(id)}` : ""}${search ? `?${search}` : ""}`;
}

/**
 * A value as comparable JSON: object keys sorted (the engine's `fields` output has no fixed order), and
 * the `volatile` keys left out at every level (fields that change on any save, such as `updated`).
 */
export function comparable(value: unknown, volatile: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(value)) return value.map((item) => comparable(item, volatile));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .filter((key) => !volatile.has(key))
        .sort()
        .map((key) => [key, comparable((value as Record<string, unknown>)[key], volatile)]),
    );
  }
  return value;
}

/** An answer as comparable text: its status and its body (see comparable). */
export function describeAnswer(answer: Answer, volatile: ReadonlySet<string> = new Set()): string {
  return `${answer.status} ${JSON.stringify(comparable(answer.body, volatile))}`;
}
