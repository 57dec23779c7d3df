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

/**
 * Whether the answer must close the connection, so an unread rest of the body is never read as the next
 * request. Only HTTP/1: HTTP/2 frames every body (and would tear down all its streams on a close).
 */
export function mustCloseAfter(request: { protoMajor: number; contentLength: number }): boolean {
  return request.protoMajor < 2 && mayLeaveBodyUnread(request.contentLength);
}
