// The order test files start in. Vitest starts the files that took longest in its previous run first, but
// a fresh clone (CI) has no previous run: it would start the largest files first, and the longest ones
// (short files that drive whole commands) would run alone at the end while a core idles.
import { existsSync } from "node:fs";
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** The longest test files, longest first (measured on a fresh clone with 2 cores; see README "Testing"). */
export const LONGEST_FILES = [
  "test/make-it-yours.test.ts",
  "test/access-audit.test.ts",
  "test/admin-superuser.test.ts",
  "test/typegen.test.ts",
  "test/email-flows.test.ts",
  "test/dev-server.test.ts",
  "test/browser.test.ts",
];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const missing = LONGEST_FILES.filter((file) => !existsSync(path.join(root, file)));
    if (missing.length) throw new Error(`test/support/longestFirst.ts names files that do not exist: ${missing.join(", ")}`);
    const rank = (spec: TestSpecification) => {
      const index = LONGEST_FILES.indexOf(path.relative(root, spec.moduleId));
      return index === -1 ? LONGEST_FILES.length : index;
    };
    // Array.prototype.sort is stable: the rest keep vitest's own order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
