/// <reference path="../.engine/types.d.ts" />
/// <reference path="./jsvm-globals.d.ts" />
// No request smuggling through unread bodies.
//
// The engine (v0.39) keeps a connection open after answering a request whose body it did not read
// (an unknown route, a refused content type, a 4xx before parsing): its router wraps the body, so Go's
// HTTP server no longer notices that more than 256 KiB of it are still on the wire, and reads the
// rest as the *next request* on that connection. A client could hide a second request in a large body;
// behind a proxy that shares upstream connections between users, its answer would reach someone else.
// Asking Go to close the connection after any request that may leave that much unread fixes it; small
// bodies Go drains itself. Runs before every other middleware, so refusals (429, 413) close too.
// test/smuggling.test.ts proves it on the raw socket, at the exact size where it starts to matter.
// Cost: this runs on every request (~20-40 µs), and a JS middleware holds a pooled runtime for the
// whole request, realtime connections included (docs/SCALING.md sizes PB_HOOKS_POOL for that).
routerUse(
  new Middleware(
    (e) => {
      // Inline on purpose (no require(): it would add ~20 µs to every request). 262144 = 256 KiB, what
      // Go's net/http drains of an unread body (maxPostHandlerReadBytes); -1 is a chunked body. Only
      // HTTP/1: HTTP/2 frames every body, and a close there would end all of its streams.
      const length = e.request!.contentLength;
      if ((length < 0 || length >= 262144) && e.request!.protoMajor < 2) e.response.header().set("Connection", "close");
      e.next();
    },
    -100_000, // lower runs first: before the engine's own middlewares (the first is at -99,999)
    "starterCloseAfterLargeBody",
  ),
);
