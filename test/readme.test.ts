// The README is the front door: its SDK and REST examples must run as written against a real engine.
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { projectRoot } from "../src/paths.js";
import { useTestEngine } from "./support/engine.js";

/** The first fenced block of `lang` after the heading `## <section>`. */
async function readmeBlock(section: string, lang: string): Promise<string> {
  const readme = await readFile(path.join(projectRoot, "README.md"), "utf8");
  const start = readme.indexOf(`\n## ${section}\n`);
  expect(start, `README has a "## ${section}" section`).toBeGreaterThan(-1);
  const match = new RegExp("```" + lang + "\\n([\\s\\S]*?)\\n```").exec(readme.slice(start));
  expect(match, `"## ${section}" has a \`\`\`${lang} block`).not.toBeNull();
  return match![1]!;
}

describe("README examples", () => {
  const engine = useTestEngine();
  const scratch = path.join(projectRoot, "test", `.readme-example-${process.pid}.ts`);
  afterAll(() => rm(scratch, { force: true }));

  it("the typed SDK example runs from register to a filtered list", async () => {
    const code = (await readmeBlock("Typed SDK", "ts"))
      .replace('from "pocketbase-ts-starter-sdk"', 'from "../packages/sdk/src/index.js"')
      .replaceAll("http://127.0.0.1:8090", engine().url);
    await writeFile(scratch, code);
    const result = await execa(process.execPath, ["--import", "tsx", scratch], { cwd: projectRoot, reject: false, all: true });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain("[ 'Write the report' ] false");
  });

  it("the REST curl examples run in bash: register, login, create, list, delete", async () => {
    const script = (await readmeBlock("REST", "bash")).replace(/^PB=.*$/m, `PB=${engine().url}`);
    // Both examples sign up the same person: start this one from a fresh account.
    const admin = await engine().admin();
    for (const user of await admin.collection("users").getFullList()) await admin.collection("users").delete(user.id);
    const result = await execa("bash", ["-euo", "pipefail", "-c", script], { reject: false, all: true });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/created todo [a-z0-9]{15}/);
    expect(result.stdout).toMatch(/"task":"Buy milk"/);
    expect(result.stdout.trim().endsWith("204")).toBe(true);
    // And the todo really is gone.
    expect(await admin.collection("todos").getFullList({ filter: 'task = "Buy milk"' })).toEqual([]);
  });
});
