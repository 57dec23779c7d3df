// The access probe: every declared collection × actor × operation, run for real against an engine and
// checked afterwards through the superuser (a refused write must not have happened). The expected outcome
// of each cell comes from the collection's declared policy (expectations.ts), never from its name.
import { randomUUID } from "node:crypto";
import PocketBase from "pocketbase";
import { ownerFieldOf, USERS, type CollectionDeclaration, type Declarations } from "../../pb_hooks/lib/declaration.js";
import type { EngineCollection } from "../engine/collectionJson.js";
import { expectations, type Actor, type Operation, type Outcome } from "./expectations.js";
import { AuditHttp, recordsPath } from "./http.js";
import { seedOrder, valueFor, writable } from "./values.js";

export interface AccessRow {
  collection: string;
  actor: Actor;
  operation: Operation;
  expected: Outcome;
  /** What happened; a suffix after ":" says what was wrong with an "ok" (e.g. "ok: owner not set"). */
  actual: string;
  pass: boolean;
}

export interface AuditUser {
  id: string;
  email: string;
  password: string;
  token: string;
}

type Json = Record<string, unknown> & { id: string };

interface Context {
  http: AuditHttp;
  su: string;
  collections: EngineCollection[];
  declarations: Declarations;
  a: AuditUser;
  b: AuditUser;
}

/** Signs a new user up in the users collection and in. */
export async function signUpUser(http: AuditHttp, label: string): Promise<AuditUser> {
  const email = `audit-${label}-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pw-${randomUUID()}`;
  const created = await http.ok<Json>("POST", recordsPath(USERS.name), { body: { email, password, passwordConfirm: password } });
  const auth = await http.ok<{ token: string }>("POST", `/api/collections/${USERS.name}/auth-with-password`, {
    body: { identity: email, password },
  });
  return { id: created.id, email, password, token: auth.token };
}

/** Runs every expectation of every declared collection; one row each. */
export async function probeAccess(options: {
  http: AuditHttp;
  superuserToken: string;
  collections: EngineCollection[];
  declarations: Declarations;
  /** Only these collections' rows (the others still get the records that relations point to). */
  only?: string[];
}): Promise<AccessRow[]> {
  const ctx: Context = {
    ...options,
    su: options.superuserToken,
    a: await signUpUser(options.http, "owner"),
    b: await signUpUser(options.http, "other"),
  };
  await prepareLinks({ ...ctx, collections: seedOrder(ctx.collections), users: [ctx.a, ctx.b] });
  const rows: AccessRow[] = [];
  for (const [name, declaration] of Object.entries(ctx.declarations)) {
    if (options.only && !options.only.includes(name)) continue;
    const collection = ctx.collections.find((c) => c.name === name);
    if (!collection) {
      rows.push({
        collection: name,
        actor: "owner",
        operation: "list",
        expected: "own",
        actual: "collection missing from the engine",
        pass: false,
      });
      continue;
    }
    const cells = expectations(declaration.policy);
    const realtimeActors = cells.filter((cell) => cell.operation === "realtime").map((cell) => cell.actor);
    const realtime = realtimeActors.length
      ? await probeRealtime(ctx, collection, declaration, realtimeActors).catch((error: Error) => error)
      : null;
    for (const { actor, operation, expected } of cells) {
      let actual: string;
      try {
        if (operation === "realtime") {
          if (realtime instanceof Error) throw realtime;
          actual = realtime?.get(actor) ?? "not asked";
        } else {
          actual = await runCell(ctx, collection, declaration, actor, operation);
        }
      } catch (error) {
        actual = `error: ${(error as Error).message.slice(0, 160)}`;
      }
      rows.push({ collection: name, actor, operation, expected, actual, pass: actual === String(expected) || actual === "n/a" });
    }
    if (declaration.policy === "owned") rows.push(...(await probeLinks(ctx, collection, declaration)));
  }
  return rows;
}

/**
 * A relation is a question too: "does this id exist?". Linking to another user's record must get exactly
 * the answer a made-up id gets (relations to reference data, which everyone may see, are not asked).
 */
async function probeLinks(ctx: Context, collection: EngineCollection, d: CollectionDeclaration): Promise<AccessRow[]> {
  const rows: AccessRow[] = [];
  for (const field of collection.fields) {
    if (field.type !== "relation" || (d.policy === "owned" && field.name === ownerFieldOf(d))) continue;
    const target = ctx.collections.find((c) => c.id === field.collectionId);
    const targetDeclaration = target ? ctx.declarations[target.name] : undefined;
    if (!target || !targetDeclaration || targetDeclaration.policy === "readOnly") continue;
    const foreign =
      targetDeclaration.policy === "account" ? ctx.a.id : (await freshTarget(ctx, target, targetDeclaration, ctx.a)).record.id;
    const attempt = async (id: string) => {
      const body = { ...bodyFor(ctx, collection, d, ctx.b, "link"), [field.name]: field.maxSelect > 1 ? [id] : id };
      const answer = await ctx.http.call("POST", recordsPath(collection.name), { token: ctx.b.token, body });
      return `${answer.status} ${JSON.stringify(answer.body)}`;
    };
    const [someoneElses, madeUp] = [await attempt(foreign), await attempt("aaaaaaaaaaaaaaa")];
    const same = someoneElses === madeUp && !someoneElses.startsWith("200");
    rows.push({
      collection: collection.name,
      actor: "other",
      operation: `link ${field.name} to someone else's`,
      expected: "like a missing id",
      actual: same ? "like a missing id" : `differs: ${someoneElses.slice(0, 80)} vs ${madeUp.slice(0, 80)}`,
      pass: same,
    });
  }
  return rows;
}

async function runCell(
  ctx: Context,
  collection: EngineCollection,
  d: CollectionDeclaration,
  actor: Actor,
  operation: Operation,
): Promise<string> {
  const { http, su } = ctx;
  const name = collection.name;
  const target = await freshTarget(ctx, collection, d);
  const token = actor === "anonymous" ? null : actor === "owner" ? target.owner.token : ctx.b.token;
  const actorUser = actor === "owner" ? target.owner : ctx.b;
  const asSuperuser = (id: string) => http.call("GET", recordsPath(name, {}, id), { token: su });
  const count = async () => (await http.ok<{ totalItems: number }>("GET", recordsPath(name, { perPage: "1" }), { token: su })).totalItems;
  const status = (s: number) => (s >= 200 && s < 300 ? "ok" : String(s));

  switch (operation) {
    case "list": {
      const other = await freshTarget(ctx, collection, d, ctx.b);
      const filter = `id = "${target.record.id}" || id = "${other.record.id}"`;
      const answer = await http.call("GET", recordsPath(name, { filter, perPage: "10" }), { token });
      if (answer.status !== 200) return String(answer.status);
      const ids = ((answer.body as { items: Json[] }).items ?? []).map((r) => r.id);
      if (ids.length === 0) return "none";
      if (ids.length === 2) return "all";
      const own = actor === "owner" ? target.record.id : other.record.id;
      return ids.length === 1 && ids[0] === own ? "own" : `saw ${ids.length} records, not only its own`;
    }
    case "view":
      return status((await http.call("GET", recordsPath(name, {}, target.record.id), { token })).status);
    case "create":
    case "batch create":
    case "create for someone else": {
      const before = await count();
      let body = bodyFor(ctx, collection, d, actorUser, "created");
      if (operation === "create for someone else") body = { ...body, [ownerFieldOf(d)]: ctx.b.id };
      if (d.policy === "account") body = accountBody();
      const answer =
        operation === "batch create"
          ? await http.call("POST", "/api/batch", { token, body: { requests: [{ method: "POST", url: recordsPath(name), body }] } })
          : await http.call("POST", recordsPath(name), { token, body });
      const after = await count();
      if (answer.status !== 200) return after === before ? String(answer.status) : `${answer.status} but a record was created`;
      if (after !== before + 1) return "ok: nothing was created";
      if (d.policy === "owned") {
        const created = operation === "batch create" ? (answer.body as Array<{ body: Json }>)[0]!.body : (answer.body as Json);
        if (created[ownerFieldOf(d)] !== actorUser.id) return "ok: the owner is not the caller";
      }
      return "ok";
    }
    case "update":
    case "batch update":
    case "change owner": {
      const patch = operation === "change owner" ? { [ownerFieldOf(d)]: ctx.b.id } : updateBody(ctx, collection, d, actorUser);
      if (Object.keys(patch).length === 0) return "n/a"; // no field a client may change
      const before = (await asSuperuser(target.record.id)).body as Json;
      const answer =
        operation === "batch update"
          ? await http.call("POST", "/api/batch", {
              token,
              body: { requests: [{ method: "PATCH", url: recordsPath(name, {}, target.record.id), body: patch }] },
            })
          : await http.call("PATCH", recordsPath(name, {}, target.record.id), { token, body: patch });
      const after = (await asSuperuser(target.record.id)).body as Json;
      const changed = JSON.stringify(strip(before)) !== JSON.stringify(strip(after));
      if (answer.status === 200) return changed ? "ok" : "ok: nothing changed";
      return changed ? `${answer.status} but the record changed` : String(answer.status);
    }
    case "delete":
    case "batch delete": {
      const answer =
        operation === "batch delete"
          ? await http.call("POST", "/api/batch", {
              token,
              body: { requests: [{ method: "DELETE", url: recordsPath(name, {}, target.record.id) }] },
            })
          : await http.call("DELETE", recordsPath(name, {}, target.record.id), { token });
      const gone = (await asSuperuser(target.record.id)).status === 404;
      if (answer.status >= 200 && answer.status < 300) return gone ? "ok" : "ok: the record is still there";
      return gone ? `${answer.status} but the record is gone` : String(answer.status);
    }
    default:
      return "n/a"; // realtime cells are asked by probeRealtime, relation cells by probeLinks
  }
}

interface Target {
  record: Json;
  /** Who "owner" is for this record (for readOnly/private collections: user A, who owns nothing). */
  owner: AuditUser;
}

/** A fresh record for one cell: the owner's own (owned), a new account (account), or the superuser's. */
async function freshTarget(
  ctx: Context,
  collection: EngineCollection,
  d: CollectionDeclaration,
  owner: AuditUser = ctx.a,
): Promise<Target> {
  if (d.policy === "account") {
    const user = owner === ctx.b ? ctx.b : await signUpUser(ctx.http, "target");
    const record = await ctx.http.ok<Json>("GET", recordsPath(collection.name, {}, user.id), { token: ctx.su });
    return { record, owner: user };
  }
  const body = bodyFor(ctx, collection, d, owner, "target");
  if (d.policy === "owned")
    return { record: await ctx.http.ok<Json>("POST", recordsPath(collection.name), { token: owner.token, body }), owner };
  return { record: await ctx.http.ok<Json>("POST", recordsPath(collection.name), { token: ctx.su, body }), owner };
}

/** A valid create body for `collection` written by `writer` (relations point at records the writer may see). */
function bodyFor(
  ctx: Context,
  collection: EngineCollection,
  d: CollectionDeclaration,
  writer: AuditUser,
  label: string,
): Record<string, unknown> {
  const owner = d.policy === "owned" ? ownerFieldOf(d) : null;
  const body: Record<string, unknown> = {};
  for (const field of collection.fields.filter(writable)) {
    if (field.name === owner) continue;
    const value = valueFor(field, `${label}-${randomUUID().slice(0, 6)}`, (relation) => linkTarget(ctx, relation.collectionId, writer));
    if (value !== undefined) body[field.name] = value;
  }
  return body;
}

function updateBody(ctx: Context, collection: EngineCollection, d: CollectionDeclaration, writer: AuditUser): Record<string, unknown> {
  if (d.policy === "account") return { name: `renamed ${randomUUID().slice(0, 6)}` };
  const body = bodyFor(ctx, collection, d, writer, "updated");
  // Only plain values: a relation change is its own question (ownership, visibility).
  for (const field of collection.fields) if (field.type === "relation") delete body[field.name];
  return body;
}

function accountBody(): Record<string, unknown> {
  const password = `pw-${randomUUID()}`;
  return { email: `audit-new-${randomUUID().slice(0, 8)}@example.com`, password, passwordConfirm: password };
}

/** Linkable ids, cached per (collection, writer): the writer itself for users, else a record it made or may see. */
const linkCache = new Map<string, string | null>();
function linkTarget(ctx: Context, collectionId: string, writer: AuditUser): string | null {
  if (collectionId === USERS.id) return writer.id;
  return linkCache.get(`${collectionId}:${writer.id}`) ?? null;
}

/** Fills the link cache for every relation target before the cells run (records made for each writer). */
export async function prepareLinks(ctx: Omit<Context, "a" | "b"> & { users: AuditUser[] }): Promise<void> {
  for (const collection of ctx.collections) {
    const d = ctx.declarations[collection.name];
    if (!d || d.policy === "account") continue;
    for (const user of ctx.users) {
      const body: Record<string, unknown> = {};
      for (const field of collection.fields.filter(writable)) {
        if (d.policy === "owned" && field.name === ownerFieldOf(d)) continue;
        const value = valueFor(field, `link-${randomUUID().slice(0, 6)}`, (relation) =>
          linkTarget({ ...ctx, a: user, b: user }, relation.collectionId, user),
        );
        if (value !== undefined) body[field.name] = value;
      }
      const answer = await ctx.http.call("POST", recordsPath(collection.name), { token: d.policy === "owned" ? user.token : ctx.su, body });
      if (answer.status === 200) linkCache.set(`${collection.id}:${user.id}`, (answer.body as Json).id);
    }
  }
}

/** Fields that change on every save, left out when comparing states. */
function strip(record: Json): Json {
  const { updated: _updated, ...rest } = record;
  void _updated;
  return rest;
}

/**
 * Subscribes as the actor, lets the owner (or the superuser) change the target, and reports whether the
 * actor heard about it.
 */
/**
 * The realtime cells of one collection at once: every actor subscribes (to the whole collection and to
 * the record), the owner (or the superuser) changes one record, and each actor either hears about it or
 * not. One wait for all actors, however many there are.
 */
async function probeRealtime(
  ctx: Context,
  collection: EngineCollection,
  d: CollectionDeclaration,
  actors: Actor[],
): Promise<Map<Actor, string>> {
  if (typeof globalThis.EventSource === "undefined") {
    const { EventSource } = await import("eventsource");
    (globalThis as { EventSource?: unknown }).EventSource = EventSource;
  }
  const target = await freshTarget(ctx, collection, d);
  const listeners = await Promise.all(
    actors.map(async (actor) => {
      const pb = new PocketBase(ctx.http.url);
      pb.autoCancellation(false);
      const token = actor === "anonymous" ? null : actor === "owner" ? target.owner.token : ctx.b.token;
      if (token) pb.authStore.save(token, null);
      const seen: string[] = [];
      const quiet = async () => {};
      const stops = [
        await pb
          .collection(collection.name)
          .subscribe("*", (e) => seen.push(e.record.id))
          .catch(() => quiet),
        await pb
          .collection(collection.name)
          .subscribe(target.record.id, (e) => seen.push(e.record.id))
          .catch(() => quiet),
      ];
      return { actor, pb, seen, stops };
    }),
  );
  try {
    const patch =
      d.policy === "owned"
        ? updateBody(ctx, collection, d, target.owner)
        : d.policy === "account"
          ? { name: "watched" }
          : updateBody(ctx, collection, d, ctx.a);
    const writer = d.policy === "owned" ? target.owner.token : ctx.su;
    await ctx.http.ok("PATCH", recordsPath(collection.name, {}, target.record.id), { token: writer, body: patch });
    // Wait until every actor that should hear about it has, or long enough that silence means nothing came.
    const expected = new Set(
      expectations(d.policy)
        .filter((row) => row.operation === "realtime" && row.expected === "events")
        .map((row) => row.actor),
    );
    const deadline = Date.now() + 1_500;
    const heard = (l: (typeof listeners)[number]) => l.seen.includes(target.record.id);
    while (Date.now() < deadline && !listeners.every((l) => heard(l) || !expected.has(l.actor)))
      await new Promise((r) => setTimeout(r, 25));
    // Give a wrongly delivered event to a silent actor the same chance to arrive.
    if (listeners.some((l) => !expected.has(l.actor))) await new Promise((r) => setTimeout(r, 250));
    return new Map(listeners.map((l) => [l.actor, heard(l) ? "events" : "nothing"]));
  } finally {
    for (const l of listeners) {
      for (const stop of l.stops) await stop().catch(() => {});
      l.pb.realtime.unsubscribe().catch(() => {});
    }
  }
}
