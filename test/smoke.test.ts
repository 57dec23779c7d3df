import { describe, expect, it } from "vitest";
import { useTestEngine } from "./support/engine.js";

describe("engine", () => {
  const engine = useTestEngine();
  it("serves health and applies the migrations", async () => {
    const res = await fetch(`${engine().url}/api/health`);
    expect(res.status).toBe(200);
    const admin = await engine().admin();
    const cats = await admin.collection("categories").getFullList<{ name: string }>();
    expect(cats.map((c) => c.name).sort()).toEqual(["Non-urgent", "Urgent"]);
  });
});
