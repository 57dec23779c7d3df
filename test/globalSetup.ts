import { prepareEngine } from "../src/engine/index.js";

/** Runs once per `vitest run`: binary, types.d.ts, and a fresh compile of migrations and hooks. */
export default async function setup(): Promise<void> {
  const engine = await prepareEngine({ log: (line) => console.log(`[engine] ${line}`) });
  process.env.POCKETBASE_TEST_BIN = engine.binary;
}
