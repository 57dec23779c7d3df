// HTTP requests from a chosen loopback source address (127.0.0.2, 127.0.0.3, ...): distinct clients as a
// proxy or the engine sees them, all on this machine. Linux routes the whole 127.0.0.0/8 to loopback.
import http from "node:http";

export interface PlainResponse {
  status: number;
  body: string;
}

/** One request on a fresh connection from `from` (no pooling: each call is a separate client connection). */
export function requestFrom(
  from: string,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: options.method ?? "GET", headers: options.headers, localAddress: from, agent: false },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.setTimeout(15_000, () => request.destroy(new Error(`no answer from ${url} within 15 s`)));
    request.on("error", reject);
    request.end(options.body);
  });
}

/** A failed password sign-in attempt from `from` (what the auth rate limit counts); its status. */
export async function signInAttempt(from: string, baseUrl: string, headers: Record<string, string> = {}): Promise<number> {
  const body = JSON.stringify({ identity: "nobody@example.com", password: "wrong-password" });
  const response = await requestFrom(from, `${baseUrl}/api/collections/users/auth-with-password`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body,
  });
  return response.status;
}
