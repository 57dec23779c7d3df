// Facts about the engine's HTTP server that hooks and tests share (loaded with require() inside handlers).

/**
 * Go's net/http drains at most this much of a request body a handler did not read (its
 * maxPostHandlerReadBytes); past that, the rest is still on the wire after the answer.
 */
export const DRAINED_BODY_BYTES = 256 * 1024;

/** Whether the engine may leave part of this body unread on the connection (or cannot know: chunked). */
export function mayLeaveBodyUnread(contentLength: number): boolean {
  return contentLength < 0 || contentLength >= DRAINED_BODY_BYTES;
}
