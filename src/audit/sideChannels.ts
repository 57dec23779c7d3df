// The side-channel probe: can one user learn anything about another user's private records through the
// query surfaces (filter, sort, expand, fields; on record lists and views, and in realtime subscriptions),
// along any path the schema allows?
//
// It is a noninterference test. User B asks every question the schema makes possible (every path from
// every collection, every operator, every sort, every expand) and records the answers; user A's private
// records then change in every field (and A gets more of them); B asks again. Any answer that changed
// leaked something of A's. Nothing here names a collection: paths, values and records all come from the
// live schema, so a collection added later is probed the same way.
import { randomUUID } from "node:crypto";
import { collectionListSchema, type EngineCollection, type EngineField } from "../engine/collectionJson.js";
import { AuditHttp, describeAnswer, recordsPath } from "./http.js";
import { fieldPaths, relationChains } from "./paths.js";
import { askRealtime, type RealtimeQuestion } from "./realtime.js";
import { seedOrder, valueFor, writable, type RelationPicker } from "./values.js";

/** A user the probe signs up and plays. */
export interface Actor {
  label: string;
  id: string;
  email: string;
  token: string;
}

/** One question whose answer differed between the two states of A's data. */
export interface Leak {
  question: string;
  before: string;
  after: string;
}

export interface SideChannelReport {
  /** Questions asked per state. */
  questions: number;
  /** Of those, asked as realtime subscriptions (the rest are record lists and views). */
  realtime: number;
  /** Of those, answered with a 400 (refused by the guard or the engine). */
  refused: number;
  leaks: Leak[];
  /** Answers with a 5xx status: never acceptable. */
  serverErrors: string[];
  /** Collections the probe could not put records into, with why. */
  notSeeded: string[];
  /** 429s waited out (a live instance's rate limits). */
  throttled: number;
}

export interface SideChannelOptions {
  url: string;
  /** Authorization header of a superuser: reads the schema, and writes what users cannot. */
  superuserToken: string;
  /** The auth collection the two users sign up in (default "users"). */
  usersCollection?: string;
  /** Relations followed in one path (default 2). */
  maxRelations?: number;
}

type RecordJson = Record<string, unknown> & { id: string };

interface Seeded {
  collection: EngineCollection;
  record: RecordJson;
  /** The actor the record belongs to (created by them, or for them by the superuser). */
  owner: Actor;
  /** B cannot view it: one of A's private records, the ones the probe changes. */
  private: boolean;
}

const OPERATORS = ["=", "!=", "~", "!~", "?=", "?!=", "?~"] as const;

/** One question: a GET as B (path), a realtime subscription of B's, or a record the subscriptions hear. */
interface Question {
  key: string;
  path?: string;
  realtime?: RealtimeQuestion;
  anchor?: { collection: string; id: string };
}

interface Realtime {
  questions: RealtimeQuestion[];
  anchors: Array<{ collection: string; id: string }>;
}

export async function probeSideChannels(options: SideChannelOptions): Promise<SideChannelReport> {
  const http = new AuditHttp(options.url);
  const su = options.superuserToken;
  const usersName = options.usersCollection ?? "users";
  const list = collectionListSchema.parse(await http.ok("GET", "/api/collections?perPage=500&sort=name", { token: su }));
  const collections = list.items.filter((c) => !c.system && !c.name.startsWith("_"));
  const users = collections.find((c) => c.name === usersName);
  const volatile = new Set(collections.flatMap((c) => c.fields.filter((f) => f.type === "autodate" && f.onUpdate).map((f) => f.name)));
  if (!users) throw new Error(`No auth collection "${usersName}" to sign users up in.`);

  const run = randomUUID().slice(0, 6);
  const a = await signUp(http, usersName, "a");
  const b = await signUp(http, usersName, "b");
  const notSeeded: string[] = [];
  const seeded: Seeded[] = [];

  // Records first in collections that others point to, so relations have something to point at.
  for (const collection of seedOrder(collections.filter((c) => c.type === "base"))) {
    seeding: for (const actor of [a, b]) {
      for (let i = 0; i < 2; i++) {
        // A fresh suffix per run: a live instance keeps the last run's records (and unique indexes).
        const made = await createFor(http, su, users.id, collection, actor, `${actor.label}${i}-${run}`, picker(actor));
        if (typeof made === "string") {
          notSeeded.push(`${collection.name}: ${made}`);
          break seeding;
        }
        const hidden =
          actor === a && (await http.call("GET", recordsPath(collection.name, {}, made.id), { token: b.token })).status === 404;
        seeded.push({ collection, record: made, owner: actor, private: hidden });
      }
    }
  }
  const aRowPrivate = (await http.call("GET", recordsPath(usersName, {}, a.id), { token: b.token })).status === 404;

  const questions = await buildQuestions();
  const realtime: Realtime = { questions: [], anchors: [] };
  for (const question of questions) if (question.realtime) realtime.questions.push(question.realtime);
  for (const question of questions) if (question.anchor) realtime.anchors.push(question.anchor);
  const rest = questions.filter((q) => q.path);
  // The realtime questions touch their anchors (which moves their `updated`): asked first before A's
  // data changes and last after, so that both rounds of list questions see the same anchors.
  const before = new Map([...(await askRealtimeAll(realtime)), ...(await askAll(rest))]);

  // A's private data changes in every field it can; A gets one more record where records are private.
  for (const item of seeded.filter((s) => s.private)) {
    const patch = bodyFor(users.id, item.collection, `a-changed-${randomUUID().slice(0, 6)}`, otherTarget(item), true);
    await http.ok("PATCH", recordsPath(item.collection.name, {}, item.record.id), { token: su, body: patch });
  }
  for (const collection of new Set(seeded.filter((s) => s.private).map((s) => s.collection))) {
    await createFor(http, su, users.id, collection, a, `a-extra-${run}`, picker(a));
  }
  if (aRowPrivate) {
    await http.ok("PATCH", recordsPath(usersName, {}, a.id), {
      token: su,
      body: { name: `renamed ${randomUUID().slice(0, 6)}`, email: `a-changed-${randomUUID().slice(0, 8)}@example.com` },
    });
  }
  const after = new Map([...(await askAll(rest)), ...(await askRealtimeAll(realtime))]);

  const leaks: Leak[] = [];
  const serverErrors: string[] = [];
  let refused = 0;
  for (const [question, answer] of before) {
    const later = after.get(question)!;
    if (answer.startsWith("400 ")) refused++;
    if (/^5\d\d /.test(answer) || /^5\d\d /.test(later)) serverErrors.push(`${question} → ${answer.slice(0, 120)}`);
    if (answer !== later) leaks.push({ question, before: answer.slice(0, 300), after: later.slice(0, 300) });
  }
  return {
    questions: before.size,
    realtime: realtime.questions.length,
    refused,
    leaks,
    serverErrors,
    notSeeded,
    throttled: http.throttled,
  };

  /**
   * Records `actor` may link to in a collection: shared ones (both users can see them) first, so A's and
   * B's records meet in the same related records (that is where back-relations cross users), then their own.
   */
  function linkable(actor: Actor, collectionId: string): Seeded[] {
    const inCollection = seeded.filter((s) => s.collection.id === collectionId);
    return [...inCollection.filter((s) => !s.private && s.owner === a), ...inCollection.filter((s) => s.owner === actor)];
  }

  function picker(actor: Actor): RelationPicker {
    return (field) => (field.collectionId === users!.id ? actor.id : (linkable(actor, field.collectionId)[0]?.record.id ?? null));
  }

  /** For a changed record: point its relations somewhere else the owner may link to, when there is one. */
  function otherTarget(item: Seeded): RelationPicker {
    return (field) => {
      if (field.collectionId === users!.id) return item.owner.id;
      const current = item.record[field.name];
      const candidates = linkable(item.owner, field.collectionId);
      const other = candidates.find((s) => s.record.id !== current && !(Array.isArray(current) && current.includes(s.record.id)));
      return (other ?? candidates[0])?.record.id ?? null;
    };
  }

  async function buildQuestions(): Promise<Question[]> {
    const asked: Question[] = [];
    for (const collection of collections) {
      // An anchor B can always see keeps every list non-empty: the engine slows down empty filtered
      // lists, and a leak still shows as a change in the rest of the answer.
      const visible = await http.call("GET", recordsPath(collection.name, { perPage: "1", sort: "id" }), { token: b.token });
      const anchor = ((visible.body as { items?: RecordJson[] } | null)?.items ?? [])[0]?.id;
      const paths = fieldPaths(collection, collections, options.maxRelations ?? 2);
      const name = collection.name;
      // Realtime questions are subscriptions on the anchor: its next change reaches B, or not.
      const subscribe = (label: string, options: string, topic = `${name}/${anchor}`) =>
        asked.push({
          key: "",
          realtime: {
            key: `${topic} realtime ${label}`,
            topic: `${topic}?options=${encodeURIComponent(options)}`,
            control: `${name}/${anchor}`,
          },
        });
      if (anchor) {
        asked.push({ key: `${name}/${anchor} anchor`, anchor: { collection: name, id: anchor } });
        for (const path of paths) {
          const secret = secretFor(path.collection, path.field);
          if (secret === undefined) continue;
          for (const op of OPERATORS) {
            const filter = `(${path.segments.join(".")} ${op} ${literal(secret)}) || id = ${literal(anchor)}`;
            asked.push({ key: `${name} filter ${filter}`, path: recordsPath(name, { filter, sort: "id", perPage: "50" }) });
            const question = `${path.segments.join(".")} ${op} ${literal(secret)}`;
            subscribe(`filter ${question}`, JSON.stringify({ query: { filter: question } }));
          }
          // Two spellings the guard once read differently from the engine: the filter named twice
          // (JSON.parse keeps the last, the engine the first), and the older topic form "<collection>?".
          const question = `${path.segments.join(".")} != ${literal(secret)}`;
          subscribe(`filter twice ${question}`, `{"query":{"filter":${JSON.stringify(question)},"filter":"id != ''"}}`);
          subscribe(`older topic ${question}`, JSON.stringify({ query: { filter: question } }), name);
          // The same question hidden behind a comment inside parentheses (the engine's parser ends the
          // group at the ")" after "//"; a guard that reads the comment as running to the end would not).
          const hidden = `(id != "" // ) && ${path.segments.join(".")} != ${literal(secret)} || id = ${literal(anchor)}`;
          asked.push({ key: `${name} filter ${hidden}`, path: recordsPath(name, { filter: hidden, sort: "id", perPage: "50" }) });
        }
      }
      for (const path of paths) {
        for (const sign of ["", "-"]) {
          const sort = `${sign}${path.segments.join(".")},id`;
          asked.push({ key: `${name} sort ${sort}`, path: recordsPath(name, { sort, perPage: "50" }) });
        }
      }
      for (const chain of relationChains(paths)) {
        asked.push({ key: `${name} expand ${chain}`, path: recordsPath(name, { expand: chain, sort: "id", perPage: "50" }) });
        // The engine's older spelling of a back-relation, "other(field)".
        const oldSpelling = chain.replace(/(\w+)_via_(\w+)/g, "$1($2)");
        if (oldSpelling !== chain)
          asked.push({ key: `${name} expand ${oldSpelling}`, path: recordsPath(name, { expand: oldSpelling, sort: "id", perPage: "50" }) });
        asked.push({
          key: `${name} fields expand.${chain}`,
          path: recordsPath(name, { expand: chain, fields: `id,expand.${chain}`, sort: "id" }),
        });
        if (anchor) {
          asked.push({ key: `${name}/${anchor} expand ${chain}`, path: recordsPath(name, { expand: chain }, anchor) });
          subscribe(`expand ${chain}`, JSON.stringify({ query: { expand: chain } }));
          subscribe(`fields expand.${chain}`, JSON.stringify({ query: { expand: chain, fields: `id,expand.${chain}` } }));
        }
      }
    }
    return asked;
  }

  /** A value one of A's private records holds in this field (what a leak would give away). */
  function secretFor(collection: EngineCollection, field: EngineField): unknown {
    if (collection.id === users!.id) {
      if (!aRowPrivate) return undefined;
      return field.name === "id" ? a.id : field.name === "email" ? a.email : field.type === "bool" ? false : undefined;
    }
    const item = seeded.find((s) => s.collection.id === collection.id && s.private);
    const value = item?.record[field.name];
    const first: unknown = Array.isArray(value) ? value[0] : value;
    return typeof first === "string" || typeof first === "number" || typeof first === "boolean" ? first : undefined;
  }

  /** Asks every question, a few at a time (the answers do not depend on the order). */
  async function askAll(asked: Question[]): Promise<Map<string, string>> {
    const answers = new Map<string, string>();
    let next = 0;
    const worker = async () => {
      while (next < asked.length) {
        const { key, path } = asked[next++]!;
        answers.set(key, describeAnswer(await http.call("GET", path!, { token: b.token }), volatile));
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    return answers;
  }

  function askRealtimeAll(realtime: Realtime): Promise<Map<string, string>> {
    return askRealtime({
      http,
      token: b.token,
      questions: realtime.questions,
      // A save that changes nothing but the autodate fields (left out of the answers: volatile).
      touch: async () => {
        for (const anchor of realtime.anchors)
          await http.ok("PATCH", recordsPath(anchor.collection, {}, anchor.id), { token: su, body: {} });
      },
      volatile,
    });
  }
}

async function signUp(http: AuditHttp, collection: string, label: string): Promise<Actor> {
  const email = `audit-${label}-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pw-${randomUUID()}`;
  const created = await http.ok<RecordJson>("POST", recordsPath(collection), { body: { email, password, passwordConfirm: password } });
  const auth = await http.ok<{ token: string }>("POST", `/api/collections/${collection}/auth-with-password`, {
    body: { identity: email, password },
  });
  return { label, id: created.id, email, token: auth.token };
}

/** The record body for a collection, with a value for every writable field it can fill. */
function bodyFor(
  usersId: string,
  collection: EngineCollection,
  variant: string,
  pick: RelationPicker,
  update = false,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of collection.fields.filter(writable)) {
    if (update && field.type === "relation" && field.collectionId === usersId) continue; // the owner stays
    const value = valueFor(field, `${variant}-${field.name}`, pick);
    if (value !== undefined) body[field.name] = value;
  }
  return body;
}

/**
 * Creates a record that belongs to `actor`: as the actor when the API lets them, else as the superuser
 * with the actor named in every relation to users. A string says why neither worked.
 */
async function createFor(
  http: AuditHttp,
  su: string,
  usersId: string,
  collection: EngineCollection,
  actor: Actor,
  variant: string,
  pick: RelationPicker,
): Promise<RecordJson | string> {
  const body = bodyFor(usersId, collection, variant, pick);
  const own = await http.call("POST", recordsPath(collection.name), {
    token: actor.token,
    body: withoutUserRelations(usersId, collection, body),
  });
  if (own.status === 200) return own.body as RecordJson;
  const bySuperuser = await http.call("POST", recordsPath(collection.name), { token: su, body });
  if (bySuperuser.status === 200) return bySuperuser.body as RecordJson;
  return `create answered ${own.status} as a user and ${bySuperuser.status} as a superuser: ${JSON.stringify(bySuperuser.body).slice(0, 200)}`;
}

/** A user leaves relations to users out: the server fills in its owner (and refuses anyone else). */
function withoutUserRelations(usersId: string, collection: EngineCollection, body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body };
  for (const field of collection.fields) if (field.type === "relation" && field.collectionId === usersId) delete out[field.name];
  return out;
}

function literal(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
