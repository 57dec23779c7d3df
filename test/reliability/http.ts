// Raw HTTP calls with a deadline. The reliability tests look at every status and every body the
// engine sends, so they use fetch directly instead of the SDK (which reshapes errors and bodies).

export interface ApiResponse {
  /** HTTP status; 0 when no response arrived (connection refused/reset, or the deadline passed). */
  status: number;
  /** Parsed JSON body, or the raw text when it is not JSON, or null when empty. */
  body: unknown;
  /** Set when no response arrived: why. */
  error?: string;
  /** True when the deadline passed before the response was complete (a hang). */
  timedOut: boolean;
}

export interface RequestOptions {
  /** Sent as the Authorization header (the engine takes the bare token). */
  token?: string;
  /** Serialized as JSON with content-type application/json. */
  json?: unknown;
  /** Sent as is (with `contentType` if given); wins over `json`. */
  rawBody?: string | ReadableStream<Uint8Array>;
  contentType?: string;
  headers?: Record<string, string>;
  /** Deadline for the whole exchange, body included. */
  timeoutMs?: number;
}

/** Default deadline: a healthy engine answers any request of these tests far sooner. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Sends one request and never throws: network failures and timeouts come back as status 0. */
export async function api(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = options.token;
  let body: RequestInit["body"];
  if (options.rawBody !== undefined) {
    body = options.rawBody;
    if (options.contentType !== undefined) headers["content-type"] = options.contentType;
  } else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] = options.contentType ?? "application/json";
  }
  const signal = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const init: RequestInit & { duplex?: "half" } = { method, headers, body, signal };
  if (body instanceof ReadableStream) init.duplex = "half";
  try {
    const response = await fetch(`${baseUrl}${path}`, init);
    const text = await response.text();
    return { status: response.status, body: parseBody(text), timedOut: false };
  } catch (error) {
    const timedOut = signal.aborted;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { status: 0, body: null, timedOut, error: timedOut ? "timeout" : (cause?.code ?? cause?.message ?? String(error)) };
  }
}

function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** True for a 2xx status. */
export function isOk(response: ApiResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

/** Builds "?a=1&b=2" from the defined entries (empty string when there are none). */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** A one-line description of a response for assertion messages. */
export function describeResponse(method: string, path: string, response: ApiResponse): string {
  const body = typeof response.body === "string" ? response.body : JSON.stringify(response.body);
  return `${method} ${path.slice(0, 300)} → ${response.status}${response.error ? ` (${response.error})` : ""} ${String(body).slice(0, 300)}`;
}
