// The schema-derived side-channel probe (src/audit/sideChannels.ts) against the project's own schema:
// every collection, every path up to two relations deep (back-relations included), every operator,
// sort, expand and fields. Nothing here names a collection, so one added later is probed the same way.
import { describe, expect, it } from "vitest";
import { probeSideChannels } from "../src/audit/sideChannels.js";
import { useTestEngine } from "./support/engine.js";

const engine = useTestEngine();

describe("side-channel probe over the live schema", () => {
  it("a user learns nothing of another user's private records through filter, sort, expand or fields", async () => {
    const admin = await engine().admin();
    const report = await probeSideChannels({ url: engine().url, superuserToken: admin.authStore.token });
    console.log(`side-channel probe: ${report.questions} questions per state, ${report.refused} refused, ${report.leaks.length} leaks`);
    expect(report.notSeeded).toEqual([]);
    expect(report.serverErrors).toEqual([]);
    expect(report.leaks, JSON.stringify(report.leaks, null, 1)).toEqual([]);
    // It really asked the dangerous questions (and they were refused rather than answered).
    expect(report.questions).toBeGreaterThan(500);
    expect(report.refused).toBeGreaterThan(100);
  });
});
