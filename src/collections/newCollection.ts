// `npm run new:collection`: a collection declared from a few words (a name, a policy, field specs),
// written into pb_hooks/lib/collections.ts where it reads like the others.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CollectionDeclaration, Declarations, FieldDeclaration, Policy } from "../../pb_hooks/lib/declaration.js";
import { projectPaths } from "../paths.js";
import { declarationProblems } from "./validate.js";

/** Where the declarations live, and the line new ones go above. */
export const DECLARATIONS_FILE = path.join(projectPaths.hooksSrc, "lib", "collections.ts");
export const INSERT_MARKER = "// new:collection adds declarations above this line.";

/** The field kinds `--field` understands, with the form of their options (shown by --help). */
export const FIELD_KINDS: Record<string, string> = {
  text: "text[:min-max]       text, trimmed by the server; required when min ≥ 1 (default 0-5000)",
  number: "number[:min-max]     a number; `int` for whole numbers: number:int:0-10",
  bool: "bool                 true/false",
  email: "email                an email address",
  url: "url                  a URL",
  date: "date                 a date-time",
  select: "select:a|b|c         one of the listed values",
  relation: "relation:<collection> the id of a record of that collection (only one the writer may view)",
  json: "json                 any JSON value",
};

export class FieldSpecError extends Error {
  override readonly name = "FieldSpecError";
}

/**
 * Parses "title:text:1-120", "count:number:int:0-10", "status:select:open|done", "todo:relation:todos".
 * A "!" after the name makes a field required ("due!:date"); text is required when its min is at least 1.
 */
export function parseFieldSpec(spec: string): [string, FieldDeclaration] {
  const [rawName = "", kind = "", ...rest] = spec.split(":");
  const required = rawName.endsWith("!");
  const name = rawName.replace(/!$/, "");
  const options = rest.join(":");
  if (!name) throw new FieldSpecError(`"${spec}": a field needs a name, e.g. title:text:1-120`);
  const range = (text: string, what: string): [number, number] => {
    const match = /^(\d+)-(\d+)$/.exec(text);
    if (!match) throw new FieldSpecError(`"${spec}": ${what} limits look like min-max, e.g. 1-120`);
    return [Number(match[1]), Number(match[2])];
  };
  const base = required ? { required: true } : {};
  switch (kind) {
    case "text": {
      const [min, max] = options ? range(options, "text") : [0, 5000];
      return [name, { type: "text", ...(min > 0 || required ? { required: true } : {}), ...(min > 0 ? { min } : {}), max, trim: true }];
    }
    case "number": {
      const onlyInt = options.startsWith("int");
      const limits = options.replace(/^int:?/, "");
      const [min, max] = limits ? range(limits, "number") : [null, null];
      return [name, { type: "number", ...base, ...(min !== null ? { min, max } : {}), ...(onlyInt ? { onlyInt: true } : {}) }];
    }
    case "select": {
      const values = options
        .split("|")
        .map((v) => v.trim())
        .filter(Boolean);
      if (values.length === 0) throw new FieldSpecError(`"${spec}": list the values, e.g. status:select:open|done`);
      return [name, { type: "select", ...base, values }];
    }
    case "relation":
      if (!options) throw new FieldSpecError(`"${spec}": name the collection, e.g. todo:relation:todos`);
      return [name, { type: "relation", ...base, collection: options }];
    case "bool":
    case "email":
    case "url":
    case "date":
    case "json":
      if (options) throw new FieldSpecError(`"${spec}": ${kind} takes no options`);
      return [name, { type: kind, ...base }];
    default:
      throw new FieldSpecError(`"${spec}": unknown field kind "${kind}"; one of ${Object.keys(FIELD_KINDS).join(", ")}`);
  }
}

/** A new collection's declaration, checked together with the existing ones. */
export function newDeclaration(
  name: string,
  policy: Exclude<Policy, "account">,
  fieldSpecs: string[],
  existing: Declarations,
): CollectionDeclaration {
  if (existing[name]) throw new FieldSpecError(`A collection "${name}" is already declared.`);
  if (fieldSpecs.length === 0) throw new FieldSpecError("Give the collection at least one field (--field name:kind).");
  const parsed = fieldSpecs.map(parseFieldSpec);
  const twice = parsed.map(([field]) => field).filter((field, i, all) => all.indexOf(field) !== i);
  if (twice.length) throw new FieldSpecError(`The field "${twice[0]}" is given twice; each --field names a different field.`);
  const fields = Object.fromEntries(parsed);
  const declaration: CollectionDeclaration = { policy, fields };
  const problems = declarationProblems({ ...existing, [name]: declaration }).filter((p) => p.startsWith(`collections.${name}`));
  if (problems.length) throw new FieldSpecError(problems.join("\n"));
  return declaration;
}

/** The declaration as source text, in the style of pb_hooks/lib/collections.ts. */
export function declarationSource(name: string, declaration: CollectionDeclaration): string {
  const fields = Object.entries(declaration.fields).map(([field, spec]) => `      ${field}: ${literal(spec)},`);
  return [`  ${name}: {`, `    policy: "${declaration.policy}",`, "    fields: {", ...fields, "    },", "  },", ""].join("\n");
}

function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (value && typeof value === "object") {
    return `{ ${Object.entries(value)
      .map(([key, inner]) => `${key}: ${literal(inner)}`)
      .join(", ")} }`;
  }
  return JSON.stringify(value);
}

/** Adds the declaration to pb_hooks/lib/collections.ts, just above the marker line. */
export async function insertDeclaration(name: string, declaration: CollectionDeclaration, file = DECLARATIONS_FILE): Promise<void> {
  const text = await readFile(file, "utf8");
  const at = text.indexOf(`  ${INSERT_MARKER}`);
  if (at < 0)
    throw new FieldSpecError(
      `${path.relative(projectPaths.root, file)} has lost its "${INSERT_MARKER}" line; put it back inside COLLECTIONS.`,
    );
  await writeFile(file, `${text.slice(0, at)}${declarationSource(name, declaration)}\n${text.slice(at)}`);
}
