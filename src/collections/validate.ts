// Mistakes a declaration can hold, caught before anything is written: one line each, naming the place.
import { allFields, USERS, type Declarations } from "../../pb_hooks/lib/declaration.js";

/** Field names the engine or the policies own. */
const RESERVED = new Set(["id", "created", "updated", "collectionId", "collectionName", "expand"]);

export class DeclarationError extends Error {
  override readonly name = "DeclarationError";
}

/** The problems of a set of declarations (empty when it is sound). */
export function declarationProblems(declarations: Declarations): string[] {
  const problems: string[] = [];
  for (const [name, declaration] of Object.entries(declarations)) {
    const at = `collections.${name}`;
    if (!/^[a-z][a-z0-9_]*$/.test(name))
      problems.push(`${at}: collection names are lowercase letters, digits and "_", starting with a letter`);
    if (declaration.policy === "account" && name !== USERS.name) problems.push(`${at}: only "${USERS.name}" can have the "account" policy`);
    if (declaration.policy === "owned" && declaration.fields[declaration.ownerField ?? "owner"]) {
      problems.push(`${at}.fields.${declaration.ownerField ?? "owner"}: the owner field is added for you; remove it`);
    }
    for (const [fieldName, field] of Object.entries(allFields(declaration))) {
      const where = `${at}.fields.${fieldName}`;
      if (RESERVED.has(fieldName)) problems.push(`${where}: "${fieldName}" is reserved`);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(fieldName)) problems.push(`${where}: field names are letters, digits and "_"`);
      if (field.type === "relation" && field.collection !== USERS.name && !declarations[field.collection]) {
        problems.push(
          `${where}: relation to "${field.collection}", which is not declared${didYouMean(field.collection, Object.keys(declarations))}`,
        );
      }
      if (field.type === "text" && field.min !== undefined && field.max !== undefined && field.max > 0 && field.min > field.max) {
        problems.push(`${where}: min ${field.min} is more than max ${field.max}`);
      }
      if (field.type === "select" && field.values.length === 0) problems.push(`${where}: a select needs values`);
    }
  }
  return problems;
}

/** Throws one DeclarationError listing every problem. */
export function validateDeclarations(declarations: Declarations): void {
  const problems = declarationProblems(declarations);
  if (problems.length) throw new DeclarationError(`pb_hooks/lib/collections.ts has mistakes:\n${problems.map((p) => `  ${p}`).join("\n")}`);
}

/** ' (did you mean "todos"?)' when a declared name is one edit away (a typo, a missing "s"); else "". */
function didYouMean(name: string, names: string[]): string {
  const close = names.find((other) => editDistance(name, other) === 1);
  return close ? ` (did you mean "${close}"?)` : "";
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
