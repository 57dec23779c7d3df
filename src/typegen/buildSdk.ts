// The SDK package is imported by its name (pocketbase-ts-starter-sdk), which resolves to its compiled
// dist/. After the generated types change, dist/ is rebuilt at once: otherwise a new collection is in
// src/generated/ but `client.collection("notes")` fails (at run time and in tsc) until `npm run build`.
import path from "node:path";
import { execa } from "execa";
import { tscCommand } from "../engine/compile.js";
import { projectPaths } from "../paths.js";

/** Compiles packages/sdk to packages/sdk/dist (what `npm run build` does); throws with tsc's output. */
export async function buildSdkPackage(root: string = projectPaths.root): Promise<void> {
  const project = path.join(root, "packages", "sdk", "tsconfig.build.json");
  const [command, args] = tscCommand([], project);
  const result = await execa(command, args, { cwd: root, reject: false, all: true });
  if (result.exitCode !== 0)
    throw new Error(`Building the SDK package failed (tsc -p ${path.relative(root, project)}):\n${result.all ?? ""}`);
}
