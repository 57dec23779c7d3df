// fast-check generators for hostile requests: malformed and mistyped bodies, wrong content types,
// filter/sort/expand/fields/page/perPage strings built from the filter language's own pieces, forged
// and junk tokens, odd headers, and ids that try path traversal or sheer length.
import { createHmac } from "node:crypto";
import fc from "fast-check";

/** Known ids worth aiming at (the victim's records, the attacker's own, categories). */
export interface Targets {
  ids: string[];
  /** Tokens to use (the attacker's real one, and anything else the caller wants in the mix). */
  tokens: string[];
  victimId: string;
  categoryIds: string[];
}

export interface HostileBody {
  /** Exactly the bytes sent. */
  raw: string;
  /** Content-Type header, or undefined to send none. */
  contentType: string | undefined;
}

const printable = fc.string({ unit: fc.constantFrom(..." !\"#$%&'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~"), maxLength: 40 });
const unicode = fc.string({ unit: "grapheme", maxLength: 30 });
const long = fc.integer({ min: 200, max: 20_000 }).chain((n) => fc.constantFrom("a", "'", "(", "é", "\u0000", "%").map((c) => c.repeat(n)));
const huge = fc.integer({ min: 5_000, max: 400_000 }).map((n) => "x".repeat(n));

/** Any JSON-ish value of the wrong kind for a field. */
function junkValue(targets: Targets): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.string(),
    unicode,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(...targets.ids, targets.victimId, "", " ", "true", "1", "[]", "{}"),
    fc.array(fc.oneof(fc.string(), fc.integer(), fc.constantFrom(...targets.ids)), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 4 }),
    huge,
  );
}

/** A record-ish object: the real field names (and some privileged ones) with values of any type. */
export function fieldsObject(targets: Targets): fc.Arbitrary<Record<string, unknown>> {
  const value = junkValue(targets);
  return fc.record(
    {
      task: value,
      done: value,
      category: value,
      owner: value,
      id: value,
      created: value,
      updated: value,
      collectionId: value,
      email: value,
      password: value,
      passwordConfirm: value,
      oldPassword: value,
      verified: value,
      emailVisibility: value,
      tokenKey: value,
      name: value,
      identity: value,
      requests: value,
      "@jsonPayload": value,
      "owner+": value,
      "category-": value,
    },
    { requiredKeys: [] },
  );
}

/**
 * A todo that is valid but for at most one field, plus stray keys: gets past the JSON decoder and the
 * rules, so the hooks and validators see the junk too.
 */
export function nearlyValidTodo(targets: Targets): fc.Arbitrary<Record<string, unknown>> {
  const valid = fc.record({
    task: fc.oneof(
      fc.string({ minLength: 1, maxLength: 50 }),
      unicode,
      fc.constantFrom(" padded ", "x".repeat(200), "x".repeat(201), "   "),
    ),
    done: fc.boolean(),
    category: fc.constantFrom(...targets.categoryIds),
  });
  return fc
    .tuple(
      valid,
      fc.option(fc.tuple(fc.constantFrom("task", "done", "category", "owner", "id", "created", "updated", "extra"), junkValue(targets))),
    )
    .map(([todo, change]) => (change ? { ...todo, [change[0]]: change[1] } : todo));
}

/** Deeply nested arrays or objects (past the JSON decoder's depth limit at the high end). */
const deepJson = fc
  .tuple(fc.integer({ min: 50, max: 30_000 }), fc.boolean())
  .map(([depth, objects]) => (objects ? '{"a":'.repeat(depth) + "1" + "}".repeat(depth) : "[".repeat(depth) + "]".repeat(depth)));

const contentType = fc.oneof(
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-16",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=XyZ",
    "application/xml",
    "",
  ),
  fc.constant(undefined),
  printable,
);

/** A request body: valid JSON of the wrong shape, invalid JSON, junk with any content type, forms. */
export function hostileBody(targets: Targets): fc.Arbitrary<HostileBody> {
  const json = (value: unknown, type: string | undefined = "application/json") => ({
    raw: JSON.stringify(value) ?? "null",
    contentType: type,
  });
  return fc.oneof(
    { arbitrary: nearlyValidTodo(targets).map((value) => json(value)), weight: 3 },
    fieldsObject(targets).map((value) => json(value)),
    fc.tuple(fieldsObject(targets), contentType).map(([value, type]) => json(value, type)),
    fc.jsonValue({ maxDepth: 4 }).map((value) => json(value)),
    fc.tuple(fc.string({ maxLength: 200 }), contentType).map(([raw, type]) => ({ raw, contentType: type })),
    fc
      .constantFrom(
        '{"task": "x"',
        "{'task': 'x'}",
        "[",
        "}",
        '{"task": "x",}',
        "NaN",
        '{"task": "\\ud800"}',
        "\u0000\u0001",
        '{"__proto__": {"x": 1}}',
      )
      .map((raw) => ({
        raw,
        contentType: "application/json",
      })),
    deepJson.map((raw) => ({ raw, contentType: "application/json" })),
    fieldsObject(targets).map((value) => ({
      raw: new URLSearchParams(
        Object.entries(value).map(([k, v]) => [k, typeof v === "string" ? v : (JSON.stringify(v) ?? "")]),
      ).toString(),
      contentType: "application/x-www-form-urlencoded",
    })),
    fc.tuple(fieldsObject(targets), fc.constantFrom("XyZ", "other")).map(([value, boundary]) => ({
      raw: [
        ...Object.entries(value).map(
          ([k, v]) => `--XyZ\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${typeof v === "string" ? v : JSON.stringify(v)}\r\n`,
        ),
        "--XyZ--\r\n",
      ].join(""),
      contentType: `multipart/form-data; boundary=${boundary}`,
    })),
  );
}

const FILTER_PIECES = [
  "(",
  ")",
  "'",
  '"',
  "\\",
  "%",
  "_",
  "=",
  "!=",
  "~",
  "!~",
  "?=",
  "?~",
  ">",
  "<=",
  "&&",
  "||",
  "//",
  ",",
  ".",
  "id",
  "task",
  "done",
  "owner",
  "category",
  "owner.email",
  "owner.password",
  "owner.tokenKey",
  "category.name",
  "expand",
  "*",
  "@request.auth.id",
  "@request.auth.email",
  "@request.body.owner",
  "@request.query.x",
  "@request.headers.authorization",
  "@collection.users.email",
  "@collection.users.tokenKey",
  "@collection._superusers.email",
  "@collection.todos.task",
  "@now",
  "@todayStart",
  "strftime('%Y', created)",
  "geoDistance(0,0,0,0)",
  ":isset",
  ":changed",
  ":length",
  ":each",
  ":lower",
  "true",
  "false",
  "null",
  "''",
  '""',
  "0",
  "-1",
  "1e999",
  "'x' = 'x'",
  "1=1",
  "; DROP TABLE todos;",
  "' OR '1'='1",
  "\u0000",
  "@random",
  "@rowid",
  "-created",
  "+task",
  ":excerpt(10,true)",
  "owner.email:lower",
  "owner.owner.owner.owner.owner.owner.owner",
];

/** Well-formed values, so some requests get past parsing and exercise the query itself. */
const VALID_EXPRESSIONS = [
  "done = true",
  "task ~ 'a'",
  "created > '2020-01-01 00:00:00'",
  "-created",
  "task",
  "owner",
  "category",
  "id,task",
  "category.name = 'Urgent'",
  "*",
  "",
];

/** Filter-language soup: real pieces in random order, plus random and very long strings. */
export const expression: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...VALID_EXPRESSIONS), weight: 3 },
  fc
    .array(fc.constantFrom(...FILTER_PIECES), { minLength: 1, maxLength: 12 })
    .chain((pieces) => fc.constantFrom(" ", "").map((sep) => pieces.join(sep))),
  printable,
  unicode,
  long,
  fc.constantFrom(...FILTER_PIECES),
);

const pageNumber = fc.oneof(
  fc.constantFrom("1", "2", "30", "1000", "5000"),
  fc.integer().map(String),
  fc.constantFrom("0", "-1", "1.5", "1e309", "NaN", "Infinity", "0x10", "", " 1", "99999999999999999999999", "1000000000"),
  printable,
);

const LIST_PARAMS = {
  filter: expression,
  sort: expression,
  expand: expression,
  fields: expression,
  page: pageNumber,
  perPage: pageNumber,
  skipTotal: fc.oneof(fc.boolean().map(String), printable),
};

/** The list endpoint's query parameters: any subset with any values, or a single one. */
export const listQuery: fc.Arbitrary<Record<string, string>> = fc.oneof(
  fc.record(LIST_PARAMS, { requiredKeys: [] }),
  fc
    .constantFrom(...(Object.keys(LIST_PARAMS) as Array<keyof typeof LIST_PARAMS>))
    .chain((key) => LIST_PARAMS[key].map((value) => ({ [key]: value }))),
);

/** A path segment aimed at a record: real ids, traversal attempts, junk, very long. */
export function hostileId(targets: Targets): fc.Arbitrary<string> {
  const raw = fc.oneof(
    fc.constantFrom(...targets.ids),
    fc.constantFrom(
      "..",
      "../..",
      "../../_superusers/records",
      "%2e%2e%2f%2e%2e%2f",
      "..%2F..%2F",
      ".",
      "*",
      "' OR 1=1 --",
      "\u0000",
      "null",
      "undefined",
      "-1",
    ),
    fc.string({ maxLength: 40 }),
    unicode,
    fc.integer({ min: 16, max: 50_000 }).map((n) => "a".repeat(n)),
  );
  // Usually encoded as one segment; sometimes with "/", "?" and "#" left as they are.
  return fc.tuple(raw, fc.nat(9)).map(([id, mode]) => (mode === 0 ? encodeURI(id) : encodeURIComponent(id)));
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** JWTs that look right but are not signed by the engine: alg none, a guessed key, a superuser claim. */
export function forgedTokens(victimId: string): string[] {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const claims = { id: victimId, type: "auth", collectionId: "_pb_users_auth_", exp, refreshable: true };
  const superClaims = { ...claims, collectionId: "pbc_3142635823" };
  const unsigned = (header: object, payload: object) => `${base64url(header)}.${base64url(payload)}.`;
  const hs256 = (payload: object, key: string) => {
    const head = `${base64url({ alg: "HS256", typ: "JWT" })}.${base64url(payload)}`;
    return `${head}.${createHmac("sha256", key).update(head).digest("base64url")}`;
  };
  return [
    unsigned({ alg: "none", typ: "JWT" }, claims),
    unsigned({ alg: "None", typ: "JWT" }, superClaims),
    hs256(claims, "secret"),
    hs256(superClaims, ""),
    hs256({ ...claims, exp: 1 }, "secret"),
  ];
}

/** An Authorization header value (or none): real, forged, mangled or junk. */
export function hostileToken(targets: Targets): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    // The real token half of the time, so requests get past authentication into rules, hooks and validators.
    { arbitrary: fc.constantFrom(...targets.tokens), weight: 6 },
    fc.constant(undefined),
    fc.constantFrom(...targets.tokens, ...forgedTokens(targets.victimId)),
    fc.constantFrom(...targets.tokens).map((t) => `Bearer ${t}`),
    fc.constantFrom(...targets.tokens).map((t) => `${t.slice(0, -3)}abc`),
    fc.constantFrom("", " ", "Bearer", "Basic YWRtaW46YWRtaW4=", "null", "undefined", "a.b.c", "..", "x".repeat(8_000)),
    printable,
  );
}

/** Extra headers with awkward but legal values. */
export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom(
    "x-forwarded-for",
    "x-real-ip",
    "accept",
    "accept-language",
    "accept-encoding",
    "content-encoding",
    "origin",
    "cookie",
    "if-none-match",
    "range",
    "x-http-method-override",
    "x-requested-with",
    "fly-client-ip",
    "cf-connecting-ip",
  ),
  fc.oneof(printable, fc.constantFrom("gzip", "deflate", "br", "*", "127.0.0.1, 10.0.0.1", "::1", "bytes=0-1,5-", "ABC".repeat(2_000))),
  { maxKeys: 4 },
);
