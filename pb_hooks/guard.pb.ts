/// <reference path="../.engine/types.d.ts" />
/// <reference path="./jsvm-globals.d.ts" />
// The guard in front of the engine: what every request passes before the engine's own middlewares.
// One middleware on purpose: a JS middleware holds a pooled runtime for the whole request, so each one
// costs every request (the benchmark's "ours vs baseline" shows what this one costs). Its common path is
// a few property reads; everything else is behind a cheap test. docs/SECURITY.md lists each finding.
//
// 1. Connections that could carry a smuggled request are closed after the answer:
//    - a body of 256 KiB or more that nobody may read (Go drains only that much of an unread body, and the
//      engine's body wrapper hides the rest from Go's own check on some routes: a GET with a body), or a
//      chunked body (unknown length);
//    - any HTTP/1.0 request: Go ignores Transfer-Encoding there, so a chunked "body" would be read as the
//      next request on a kept-alive connection (RFC 9112 says close).
//    HTTP/2 frames every body, and a close there would end all of its streams: left alone.
// 2. The query guard (lib/queryGuard.ts) refuses, for everyone but superusers, the relation paths in
//    filter, sort, expand and fields that read other users' records past their access rules.
// 3. An email-change request for an address that is already registered answers exactly like one for a
//    free address (lib/emailChange.ts), instead of the engine's telling "invalid new email".
routerUse(
  new Middleware(
    (e) => {
      // Every property read here crosses from JS into Go by reflection, which is most of this
      // middleware's cost: the common path (HTTP/1.1, no body, a plain or no query) reads four.
      const request = e.request!;
      const length = request.contentLength;
      // HTTP/1.1 has protoMinor 1; HTTP/1.0 and HTTP/2 have 0 (HTTP/2 is told apart by protoMajor).
      if ((length !== 0 || request.protoMinor === 0) && request.protoMajor < 2) {
        // Inline on purpose (no require() on the common path). 262144 = 256 KiB; -1 is a chunked body.
        if (length < 0 || length >= 262144 || request.protoMinor === 0) e.response.header().set("Connection", "close");
      }
      // The query guard looks at a query only if it could hold something to refuse. The raw request
      // target is one string (no URL object to build); a query made only of letters, digits, "_", "=",
      // "&", ",", ":" and "-" decodes to itself, so it holds no dot, comment, bracket or space to refuse,
      // and without "_via_" no back-relation.
      const target = request.requestURI;
      const mark = target.indexOf("?");
      if (mark >= 0) {
        const raw = target.slice(mark + 1);
        if (raw.length > 2000 || raw.includes("_via_") || /[^\w=&,:-]/.test(raw)) {
          const { checkRecordQuery } = require(`${__hooks}/lib/guardRefusal.js`) as typeof import("./lib/guardRefusal");
          checkRecordQuery(e);
        }
      }
      if (request.method === "POST" && request.url!.path.endsWith("/request-email-change")) {
        const { requestEmailChangeUniformly } = require(`${__hooks}/lib/emailChange.js`) as typeof import("./lib/emailChange");
        return requestEmailChangeUniformly(e);
      }
      e.next();
    },
    -100_000, // lower runs first: before the engine's own middlewares (the first is at -99,999)
    "starterGuard",
  ),
);

// Realtime subscriptions carry their own filter/expand/fields in each topic's options: the same guard.
onRealtimeSubscribeRequest((e) => {
  if (!e.hasSuperuserAuth()) {
    const { checkSubscriptions } = require(`${__hooks}/lib/guardRefusal.js`) as typeof import("./lib/guardRefusal");
    checkSubscriptions(e, e.subscriptions);
  }
  e.next();
});

// Batch items: the query guard on each item's URL, no sign-ups (they would escape the sign-up rate
// limit, which counts per route), and one answer for upserts that name a record the caller cannot update.
onBatchRequest((e) => {
  if (!e.hasSuperuserAuth()) {
    const { checkBatch } = require(`${__hooks}/lib/guardRefusal.js`) as typeof import("./lib/guardRefusal");
    checkBatch(e);
  }
  e.next();
});
