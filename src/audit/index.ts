// npm run audit: the access auditor. Probes every declared collection as a guest, as the owner and as
// another user (list, view, create, update, delete, batch, realtime, owner tampering), then asks every
// side-channel question the schema allows (filter/sort/expand/fields oracles), and reports one table of
// expected vs actual. Expectations come from the declarations; nothing here names a collection.
import { COLLECTIONS } from "../../pb_hooks/lib/collections.js";
import type { Declarations } from "../../pb_hooks/lib/declaration.js";
import { withMigratedEngine } from "../engine/migrated.js";
import { silentLogger, type Logger } from "../engine/log.js";
import { collectionListSchema } from "../engine/collectionJson.js";
import { probeAccess, type AccessRow } from "./access.js";
import { AuditHttp } from "./http.js";
import { probeSideChannels, type SideChannelReport } from "./sideChannels.js";

export type { AccessRow } from "./access.js";
export type { SideChannelReport } from "./sideChannels.js";

export interface AuditResult {
  url: string;
  rows: AccessRow[];
  /** null when the probe was skipped (`npm run audit -- --quick`). */
  sideChannels: SideChannelReport | null;
  /** True when every cell matched and nothing leaked. */
  ok: boolean;
}

export interface AuditTarget {
  url: string;
  /** Authorization header value of a superuser of that instance. */
  superuserToken: string;
}

export interface AuditOptions {
  declarations?: Declarations;
  /** false: skip the side-channel probe (`--quick`). */
  sideChannels?: boolean;
  /** Only these declared collections' access rows (`--collection`); the side-channel probe still asks about all. */
  only?: string[];
}

/** Why `only` cannot be audited (a name that is not declared), or null when it can. */
export function undeclaredCollections(only: string[] = [], declarations: Declarations = COLLECTIONS): string | null {
  const unknown = only.filter((name) => !(name in declarations));
  return unknown.length ? `Not a declared collection: ${unknown.join(", ")}. Declared: ${Object.keys(declarations).join(", ")}.` : null;
}

/** Audits a running instance. It signs up a few users and writes test records there. */
export async function auditInstance(target: AuditTarget, options: AuditOptions = {}): Promise<AuditResult> {
  const declarations = options.declarations ?? COLLECTIONS;
  const undeclared = undeclaredCollections(options.only, declarations);
  if (undeclared) throw new Error(undeclared);
  const http = new AuditHttp(target.url);
  const list = collectionListSchema.parse(await http.ok("GET", "/api/collections?perPage=500&sort=name", { token: target.superuserToken }));
  const rows = await probeAccess({
    http,
    superuserToken: target.superuserToken,
    collections: list.items,
    declarations,
    only: options.only,
  });
  const sideChannels =
    options.sideChannels === false ? null : await probeSideChannels({ url: target.url, superuserToken: target.superuserToken });
  const ok = rows.every((row) => row.pass) && !sideChannels?.leaks.length && !sideChannels?.serverErrors.length;
  return { url: target.url, rows, sideChannels, ok };
}

/** Audits a throwaway engine that applied the current migrations and hooks to an empty database. */
export function auditFreshEngine(log: Logger = silentLogger, options: AuditOptions = {}): Promise<AuditResult> {
  return withMigratedEngine((engine) => auditInstance({ url: engine.url, superuserToken: engine.superuserToken }, options), log);
}

/** The result as a plain-text table (✗ marks a cell that did not match) and a summary line. */
export function formatAudit(result: AuditResult): string {
  const header = ["collection", "actor", "operation", "expected", "actual", ""];
  const body = result.rows.map((r) => [r.collection, r.actor, r.operation, String(r.expected), r.actual, r.pass ? "✓" : "✗"]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const failed = result.rows.filter((r) => !r.pass).length;
  const sc = result.sideChannels;
  const probe = sc
    ? [
        `Side channels: ${sc.questions} filter/sort/expand/fields questions per state (${sc.realtime} of them realtime subscriptions), ${sc.refused} refused, ${sc.leaks.length} leaked.`,
        ...sc.leaks.slice(0, 20).map((leak) => `  ✗ leak: ${leak.question}`),
        ...sc.serverErrors.slice(0, 10).map((error) => `  ✗ server error: ${error}`),
        ...(sc.notSeeded.length ? [`  (could not write test records into: ${sc.notSeeded.join("; ")})`] : []),
        ...(sc.throttled ? [`  (waited out ${sc.throttled} rate-limit answers)`] : []),
      ]
    : ["Side channels: not probed (--quick); run without it before you ship."];
  const leaked = sc ? (sc.leaks.length ? `; ${sc.leaks.length} side-channel leaks` : "; no side channel leaked") : "";
  return [
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...body.map(line),
    "",
    ...probe,
    "",
    result.ok
      ? `✔ ${result.rows.length} access checks as expected${leaked}.`
      : `✖ ${failed} of ${result.rows.length} access checks differ from the declarations${leaked}.`,
  ].join("\n");
}
