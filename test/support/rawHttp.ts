// HTTP/1.1 on a bare TCP socket, for tests about what happens on the wire: how many answers come back
// on one connection, and whether the server closes it. fetch hides both (it pools connections, and
// drops an answer that arrives while it is still sending a body the server refused).
import net from "node:net";

/**
 * Go's net/http drains at most this much of a request body a handler did not read (its
 * maxPostHandlerReadBytes); a longer body's rest is left on the connection.
 */
export const DRAINED_BODY_BYTES = 256 * 1024;

/** What came back on one connection. */
export interface RawExchange {
  /** The status line of every answer, in order. */
  statusLines: string[];
  /** True when the server closed (or reset) the connection before the deadline. */
  closedByServer: boolean;
  /** Everything received, as latin1 text. */
  received: string;
}

export interface RawOptions {
  /** Stop once this many complete answers (JSON bodies, which end with a newline) arrived. */
  answers?: number;
  /** Give up waiting after this long (default 3 s): a kept-alive connection never closes by itself. */
  timeoutMs?: number;
}

/** Sends bytes on a fresh connection and collects what comes back until the server closes, or the deadline. */
export function sendRaw(baseUrl: string, payload: string, options: RawOptions = {}): Promise<RawExchange> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let received = "";
    let closedByServer = false;
    const finish = () => {
      clearTimeout(deadline);
      socket.destroy();
      resolve({ statusLines: statusLines(received), closedByServer, received });
    };
    const deadline = setTimeout(finish, options.timeoutMs ?? 3_000);
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (options.answers !== undefined && completeAnswers(received) >= options.answers) finish();
    });
    const closed = () => {
      closedByServer = true;
      finish();
    };
    socket.on("end", closed);
    socket.on("error", closed); // a reset: the server closed while we were still writing
    socket.write(payload);
  });
}

/** Every answer's status line, in order (answers are split by their Content-Length, not by newlines). */
export function statusLines(received: string): string[] {
  return splitAnswers(received).map((answer) => answer.statusLine);
}

/** How many answers arrived whole (head and the body its Content-Length announces). */
function completeAnswers(received: string): number {
  return splitAnswers(received).filter((answer) => answer.complete).length;
}

function splitAnswers(received: string): Array<{ statusLine: string; complete: boolean }> {
  const answers: Array<{ statusLine: string; complete: boolean }> = [];
  let rest = received;
  while (/^HTTP\/1\.[01] \d{3}/.test(rest)) {
    const headEnd = rest.indexOf("\r\n\r\n");
    const statusLine = rest.slice(0, rest.indexOf("\r\n") >= 0 ? rest.indexOf("\r\n") : rest.length);
    if (headEnd < 0) {
      answers.push({ statusLine, complete: false });
      break;
    }
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(rest.slice(0, headEnd));
    const end = headEnd + 4 + Number(length?.[1] ?? 0);
    answers.push({ statusLine, complete: rest.length >= end });
    rest = rest.slice(end);
  }
  return answers;
}

/** One HTTP/1.1 request as bytes. Host is added; the caller sets Content-Length or Transfer-Encoding. */
export function httpMessage(method: string, path: string, headers: Record<string, string>, body = ""): string {
  const lines = [`${method} ${path} HTTP/1.1`, "Host: 127.0.0.1", ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join("\r\n")}\r\n\r\n${body}`;
}

/** Headers for a body with a declared length. */
export function sized(contentType: string, body: string, extra: Record<string, string> = {}): Record<string, string> {
  return { "Content-Type": contentType, "Content-Length": String(Buffer.byteLength(body)), ...extra };
}

/** A chunked body (1 MiB chunks), so the server only learns its length by reading it. */
export function chunked(body: string): string {
  const size = 1024 * 1024;
  let out = "";
  for (let offset = 0; offset < body.length; offset += size) {
    const chunk = body.slice(offset, offset + size);
    out += `${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`;
  }
  return `${out}0\r\n\r\n`;
}
