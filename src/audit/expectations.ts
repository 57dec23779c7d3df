// What each actor may do to each collection, derived from its declared policy: the auditor's "expected"
// column. An owned record's owner is "owner"; "other" is another signed-in user; "anonymous" is a guest.
import type { Policy } from "../../pb_hooks/lib/declaration.js";

export type Actor = "anonymous" | "owner" | "other";
export type Operation =
  | "list"
  | "view"
  | "create"
  | "create for someone else"
  | "update"
  | "change owner"
  | "delete"
  | "batch create"
  | "batch update"
  | "batch delete"
  | "realtime"
  | `link ${string} to someone else's`;

/**
 * An outcome: "ok" (it happened), a refusal status (and nothing changed), or for lists which records
 * come back ("all", "own": only the actor's, "none": an empty list). For realtime, "events" (the actor
 * sees the owner's changes) or "nothing".
 */
export type Outcome = "ok" | "all" | "own" | "none" | "events" | "nothing" | "like a missing id" | 400 | 403 | 404;

/** The operations that make sense for a policy, and their expected outcome per actor. */
export function expectations(policy: Policy): Array<{ actor: Actor; operation: Operation; expected: Outcome }> {
  const rows: Array<{ actor: Actor; operation: Operation; expected: Outcome }> = [];
  const add = (operation: Operation, byActor: Record<Actor, Outcome> | Partial<Record<Actor, Outcome>>) => {
    for (const [actor, expected] of Object.entries(byActor) as Array<[Actor, Outcome]>) rows.push({ actor, operation, expected });
  };
  switch (policy) {
    case "owned":
      add("list", { anonymous: "none", owner: "own", other: "own" });
      add("view", { anonymous: 404, owner: "ok", other: 404 });
      add("create", { anonymous: 400, owner: "ok", other: "ok" });
      add("create for someone else", { owner: 403 });
      add("update", { anonymous: 404, owner: "ok", other: 404 });
      add("change owner", { owner: 403 });
      add("delete", { anonymous: 404, owner: "ok", other: 404 });
      add("batch create", { owner: "ok" });
      add("batch update", { owner: "ok", other: 400 });
      add("batch delete", { owner: "ok", other: 400 });
      add("realtime", { anonymous: "nothing", owner: "events", other: "nothing" });
      break;
    case "readOnly":
      add("list", { anonymous: "none", owner: "all", other: "all" });
      add("view", { anonymous: 404, owner: "ok", other: "ok" });
      add("create", { anonymous: 403, owner: 403, other: 403 });
      add("update", { anonymous: 403, owner: 403, other: 403 });
      add("delete", { anonymous: 403, owner: 403, other: 403 });
      add("batch update", { other: 400 });
      add("realtime", { anonymous: "nothing", other: "events" });
      break;
    case "private":
      add("list", { anonymous: 403, owner: 403, other: 403 });
      add("view", { anonymous: 403, owner: 403, other: 403 });
      add("create", { anonymous: 403, owner: 403, other: 403 });
      add("update", { anonymous: 403, owner: 403, other: 403 });
      add("delete", { anonymous: 403, owner: 403, other: 403 });
      add("batch update", { other: 400 });
      add("realtime", { anonymous: "nothing", other: "nothing" });
      break;
    case "account":
      add("list", { anonymous: "none", owner: "own", other: "own" });
      add("view", { anonymous: 404, owner: "ok", other: 404 });
      add("create", { anonymous: "ok" });
      add("update", { anonymous: 404, owner: "ok", other: 404 });
      add("delete", { anonymous: 404, owner: "ok", other: 404 });
      add("batch update", { other: 400 });
      add("realtime", { anonymous: "nothing", other: "nothing" });
      break;
  }
  return rows;
}
