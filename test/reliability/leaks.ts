// "No user ever received another user's record": every response body a user gets is walked in full.
// Leaks are caught two ways: by shape (a todo whose owner is someone else, a users record that is not
// the caller) and by content (any string that is another user's id, todo id, email or task text,
// wherever it appears, so a leak through `fields`, `expand` or an error message is caught too).

/** Who owns each secret string (ids, emails, task texts) handed out during a scenario. */
export class OwnershipRegistry {
  private readonly owners = new Map<string, string>();

  /** Records that `value` belongs to `userId`. */
  claim(value: string, userId: string): void {
    this.owners.set(value, userId);
  }

  ownerOf(value: string): string | undefined {
    return this.owners.get(value);
  }
}

/** One way a response exposed something that is not the caller's. */
export interface Leak {
  path: string;
  problem: string;
}

/** Finds every part of `body` that belongs to a user other than `userId`. Empty when clean. */
export function findLeaks(body: unknown, userId: string, registry: OwnershipRegistry): Leak[] {
  const leaks: Leak[] = [];
  const visit = (node: unknown, path: string) => {
    if (typeof node === "string") {
      const owner = registry.ownerOf(node);
      if (owner !== undefined && owner !== userId) leaks.push({ path, problem: `value ${JSON.stringify(node)} belongs to user ${owner}` });
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${path}[${index}]`));
      return;
    }
    if (node && typeof node === "object") {
      const record = node as Record<string, unknown>;
      if (record.collectionName === "todos" && "owner" in record && record.owner !== userId) {
        leaks.push({ path, problem: `todo ${String(record.id)} owned by ${String(record.owner)}` });
      }
      if (record.collectionName === "users" && record.id !== userId) {
        leaks.push({ path, problem: `users record ${String(record.id)}` });
      }
      for (const [key, value] of Object.entries(record)) visit(value, `${path}.${key}`);
    }
  };
  visit(body, "$");
  return leaks;
}
