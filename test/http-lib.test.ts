// Unit tests for pb_hooks/lib/http.ts: when the smuggling guard closes the connection.
import { describe, expect, it } from "vitest";
import { DRAINED_BODY_BYTES, mustCloseAfter } from "../pb_hooks/lib/http.js";

describe("mustCloseAfter", () => {
  it.each([
    ["HTTP/1.1, no body: keep", 1, 0, false],
    ["HTTP/1.1, a body Go drains itself: keep", 1, DRAINED_BODY_BYTES - 1, false],
    ["HTTP/1.1, a body Go would leave on the wire: close", 1, DRAINED_BODY_BYTES, true],
    ["HTTP/1.1, chunked (length unknown): close", 1, -1, true],
    ["HTTP/1.0, a large body: close", 1, 10 * DRAINED_BODY_BYTES, true],
    ["HTTP/2, a large body: keep (framed, nothing can leak)", 2, 10 * DRAINED_BODY_BYTES, false],
    ["HTTP/2, unknown length: keep", 2, -1, false],
  ])("%s", (_name, protoMajor, contentLength, expected) => {
    expect(mustCloseAfter({ protoMajor, contentLength })).toBe(expected);
  });
});
