import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { projectPaths } from "../src/paths.js";
import {
  checkTypegen,
  GENERATED_HEADER,
  generatedDir,
  jsPattern,
  renderCollection,
  renderFiles,
  staleFiles,
  typeNameFor,
  type EngineCollection,
  type EngineSchema,
} from "../src/typegen/index.js";
import { collectionSchema } from "../src/engine/collectionJson.js";

/** A collection using every field type, as the engine's JSON would describe it. */
const kitchenSink: EngineCollection = collectionSchema.parse({
  id: "pbc_1",
  name: "gadgets",
  type: "base",
  system: false,
  fields: [
    { id: "f0", name: "id", type: "text", system: true, required: true, primaryKey: true, min: 15, max: 15, pattern: "^[a-z0-9]+$" },
    { id: "f1", name: "title", type: "text", required: true, min: 2, max: 0, pattern: "^[A-Z]" },
    { id: "f2", name: "body", type: "editor", maxSize: 0 },
    { id: "f3", name: "contact", type: "email", required: false },
    { id: "f4", name: "site", type: "url" },
    { id: "f5", name: "count", type: "number", min: 0, max: 10, onlyInt: true },
    { id: "f6", name: "accepted", type: "bool", required: true },
    { id: "f7", name: "due", type: "date" },
    { id: "f8", name: "color", type: "select", values: ["red", "green"], maxSelect: 1 },
    { id: "f9", name: "tags", type: "select", values: ["a", "b"], maxSelect: 2 },
    { id: "f10", name: "owner", type: "relation", collectionId: "_pb_users_auth_", maxSelect: 1, required: true },
    { id: "f11", name: "friends", type: "relation", collectionId: "_pb_users_auth_", maxSelect: 5 },
    { id: "f12", name: "photo", type: "file", maxSelect: 1 },
    { id: "f13", name: "meta", type: "json" },
    { id: "f14", name: "place", type: "geoPoint" },
    { id: "f15", name: "secret", type: "text", hidden: true, min: 0, max: 0, pattern: "" },
    { id: "f16", name: "created", type: "autodate", onCreate: true, onUpdate: false },
  ],
});

const schema: EngineSchema = {
  version: "0.39.11",
  collections: [kitchenSink, { id: "_pb_users_auth_", name: "users", type: "auth", system: false, fields: [] }],
  batch: { enabled: true, maxRequests: 50 },
};

describe("typegen renderer", () => {
  const code = renderCollection(kitchenSink, schema);

  it("starts with the generated header", () => {
    expect(code.startsWith(`${GENERATED_HEADER}\n`)).toBe(true);
  });

  it("maps each field type to a record type and a zod schema", () => {
    for (const line of [
      "  title: string;",
      "  count: number;",
      "  accepted: boolean;",
      '  color: "red" | "green" | "";',
      '  tags: Array<"a" | "b">;',
      "  friends: string[];",
      "  meta: unknown;",
      "  place: { lon: number; lat: number };",
      "  created: pbDateTime,",
      "  due: pbDateTimeOrEmpty,",
    ]) {
      expect(code).toContain(line);
    }
    expect(code).toContain('  title: textInput({ required: true, min: 2, max: 5000, pattern: new RegExp("^[A-Z]", "u") }),');
    expect(code).toContain("  count: numberInput({ required: false, min: 0, max: 10, onlyInt: true }).optional(),");
    expect(code).toContain("  accepted: z.literal(true),");
    expect(code).toContain("  friends: relationsInput({ required: false, minSelect: 0, maxSelect: 5 }).optional(),");
    expect(code).toContain("  photo: fileInput.optional(),");
    expect(code).toContain('/** Id of a "users" record, required. */');
  });

  it("keeps server-owned fields out of the inputs and hidden fields out of the record", () => {
    const create = code.slice(code.indexOf("export interface GadgetCreateInput"), code.indexOf("export interface GadgetUpdateInput"));
    expect(create).not.toMatch(/\bid[?]?:|\bcreated[?]?:/);
    const record = code.slice(code.indexOf("export interface GadgetRecord"), code.indexOf("export interface GadgetCreateInput"));
    expect(record).not.toContain("secret");
  });

  it("is deterministic: the same schema in another order renders the same files", () => {
    const reordered = { ...structuredClone(schema), collections: [...schema.collections].reverse() };
    expect(reordered.collections.map((c) => c.name)).not.toEqual(schema.collections.map((c) => c.name));
    expect(renderFiles(reordered)).toEqual(renderFiles(schema));
  });

  it("names types from collection names", () => {
    expect(["todos", "categories", "users", "user_profiles", "status"].map(typeNameFor)).toEqual([
      "Todo",
      "Category",
      "User",
      "UserProfile",
      "Status",
    ]);
  });

  it("skips client-side pattern checks JavaScript cannot compile", () => {
    expect(jsPattern("")).toBeNull();
    expect(jsPattern("^[a-z]+$")).toBe('new RegExp("^[a-z]+$", "u")');
    expect(jsPattern("(?i)abc")).toBeNull();
  });

  it("renders modules that compile and validate like the engine", async () => {
    // Write the rendered files inside the project (so "zod" resolves) next to the SDK's field schemas, as
    // in packages/sdk/src/, and load them.
    const root = await mkdtemp(path.join(projectPaths.root, ".build-tmp-typegen-"));
    const dir = path.join(root, "generated");
    try {
      await mkdir(dir);
      await copyFile(path.join(projectPaths.root, "packages", "sdk", "src", "fieldSchemas.ts"), path.join(root, "fieldSchemas.ts"));
      for (const file of renderFiles(schema)) await writeFile(path.join(dir, file.name), file.content);
      const tsc = path.join(projectPaths.root, "node_modules", "typescript", "bin", "tsc");
      const args = [
        tsc,
        "--noEmit",
        "--strict",
        "--module",
        "NodeNext",
        "--moduleResolution",
        "NodeNext",
        "--target",
        "ES2022",
        "--skipLibCheck",
        "--lib",
        "ES2022,DOM",
        path.join(dir, "index.ts"),
      ];
      const result = await execa(process.execPath, args, { reject: false, all: true });
      expect(result.all).toBe("");
      const module = (await import(path.join(dir, "gadgets.ts"))) as Record<string, { safeParse(v: unknown): { success: boolean } }>;
      const create = module.gadgetCreateInputSchema!;
      expect(create.safeParse({ title: "Ok", accepted: true, owner: "u1" }).success).toBe(true);
      expect(create.safeParse({ title: "ok", accepted: true, owner: "u1" }).success).toBe(false); // pattern
      expect(create.safeParse({ title: "Ok", accepted: false, owner: "u1" }).success).toBe(false); // must be true
      expect(create.safeParse({ title: "Ok", accepted: true, owner: "u1", count: 1.5 }).success).toBe(false); // onlyInt
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("typegen check", () => {
  it("the committed packages/sdk/src/generated/ matches the migrations (npm test fails on drift)", async () => {
    expect(await checkTypegen()).toEqual([]);
  });

  it("staleFiles names changed, missing and leftover files", async () => {
    const files = renderFiles(schema);
    const dir = await mkdtemp(path.join(projectPaths.root, ".build-tmp-typegen-"));
    try {
      for (const file of files) await writeFile(path.join(dir, file.name), file.content);
      expect(await staleFiles(files, dir)).toEqual([]);
      await writeFile(path.join(dir, "gadgets.ts"), "// edited by hand\n");
      await rm(path.join(dir, "index.ts"));
      await writeFile(path.join(dir, "old.ts"), `${GENERATED_HEADER}\n`);
      expect(await staleFiles(files, dir)).toEqual(["gadgets.ts", "index.ts", "old.ts"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("the command: --help, --check passes on fresh output and fails with the fix on stale output", async () => {
    const run = (...args: string[]) =>
      execa(process.execPath, ["scripts/run.mjs", "typegen", ...args], { cwd: projectPaths.root, reject: false, all: true });
    const help = await run("--help");
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("--check");

    const dir = await mkdtemp(path.join(projectPaths.root, ".build-tmp-typegen-"));
    try {
      await cp(generatedDir, dir, { recursive: true });
      const fresh = await run("--check", "--out", dir);
      expect(fresh.exitCode, fresh.all).toBe(0);

      const todos = path.join(dir, "todos.ts");
      await writeFile(todos, (await readFile(todos, "utf8")).replace("max: 200", "max: 300"));
      const stale = await run("--check", "--out", dir);
      expect(stale.exitCode).toBe(1);
      expect(stale.stderr).toContain("todos.ts");
      expect(stale.stderr).toContain("npm run typegen");

      // Regenerating fixes exactly that file.
      const regen = await run("--out", dir);
      expect(regen.exitCode, regen.all).toBe(0);
      expect(regen.stdout).toContain("todos.ts");
      expect(await readFile(todos, "utf8")).toBe(await readFile(path.join(generatedDir, "todos.ts"), "utf8"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
