// Unit tests of the query guard's pure logic (pb_hooks/lib/queryGuard.ts), table-driven over a synthetic
// schema with what the example schema lacks: multi-valued relations and long relation chains.
import { describe, expect, it } from "vitest";
import { checkQuery, filterPaths, QUERY_LIMITS, type FieldLookup } from "../pb_hooks/lib/queryGuard.js";

// posts.author → users; posts.tags → tags (multiple); tags.group → groups; groups.parent → groups; posts.meta is JSON.
const SCHEMA: Record<string, Record<string, ReturnType<FieldLookup>>> = {
  posts: {
    title: "other",
    author: { target: "users", multiple: false },
    tags: { target: "tags", multiple: true },
    meta: "json",
  },
  tags: { name: "other", group: { target: "groups", multiple: false } },
  groups: { name: "other", parent: { target: "groups", multiple: false } },
  users: { email: "other", name: "other" },
};
const lookup: FieldLookup = (collection, field) => SCHEMA[collection]?.[field] ?? null;
const code = (query: Parameters<typeof checkQuery>[1], collection = "posts") => checkQuery(collection, query, lookup)?.code ?? "ok";

describe("filter paths", () => {
  it.each([
    ['title = "a.b_via_c"', [{ path: "title", any: false }]],
    [
      "title = 'it\\'s _via_ x' && author.name ~ \"x\"",
      [
        { path: "title", any: false },
        { path: "author.name", any: false },
      ],
    ],
    ['tags.name ?= "x"', [{ path: "tags.name", any: true }]],
    ['"x" ?~ tags.name', [{ path: "tags.name", any: true }]],
    ['strftime("%Y", created) = "2024"', [{ path: "created", any: false }]],
    [
      "(a = 1 || b != 2) && c:lower ~ 'z'",
      [
        { path: "a", any: false },
        { path: "b", any: false },
        { path: "c:lower", any: false },
      ],
    ],
    [
      "@request.auth.id != '' && done = true",
      [
        { path: "@request.auth.id", any: false },
        { path: "done", any: false },
        { path: "true", any: false },
      ],
    ],
  ])("%s", (filter, expected) => {
    expect(filterPaths(filter)).toEqual(expected);
  });
});

describe("verdicts", () => {
  it.each([
    // own fields, single relations, JSON paths: fine
    [{ filter: 'title ~ "x" && author.email = "a@b.c"' }, "ok"],
    [{ filter: "meta.deep.inner.path.more = 1" }, "ok"],
    [{ sort: "-title,author.name" }, "ok"],
    [{ expand: "author,tags" }, "ok"],
    [{ fields: "id,title,expand.author.name" }, "ok"],
    // back-relations: anywhere, any operator
    [{ filter: 'posts_via_author.title ?= "x"' }, "back_relation"],
    [{ filter: "posts_via_author:length > 0" }, "back_relation"],
    [{ sort: "posts_via_author.title" }, "back_relation"],
    [{ expand: "author.posts_via_author" }, "back_relation"],
    [{ fields: "*,expand.posts_via_author.title" }, "back_relation"],
    // multi-valued relations: only with an "any" operator, never in a sort
    [{ filter: 'tags.name = "x"' }, "multi_relation"],
    [{ filter: 'tags.name !~ "x"' }, "multi_relation"],
    [{ filter: 'tags.name ?= "x"' }, "ok"],
    [{ filter: 'tags ?= "id123"' }, "ok"],
    [{ filter: "tags:length > 2" }, "ok"],
    [{ sort: "tags.name" }, "multi_relation"],
    // chains: at most QUERY_LIMITS.relationHops relations
    [{ filter: 'tags.group.name ?= "x"' }, "ok"],
    [{ filter: 'tags.group.parent.name ?= "x"' }, "too_many_hops"],
    [{ expand: "tags.group.parent" }, "too_many_hops"],
    // what an outside attacker tried
    [{ filter: '(id != "" // ) && title = "x"' }, "comment"],
    [{ filter: 'title = "// not a comment"' }, "ok"],
    [{ filter: 'title = "x" && posts_via_author.title != "y"' }, "back_relation"],
    [{ expand: "posts(author)" }, "back_relation"],
    [{ expand: "posts_ via_author" }, "back_relation"],
    [{ fields: "expand.posts_ via_author" }, "back_relation"],
    // size
    [{ filter: "title = 1 || ".repeat(QUERY_LIMITS.filterLength / 10) + "title = 1" }, "too_long"],
  ])("%j → %s", (query, expected) => {
    expect(code(query)).toBe(expected);
  });

  it("names the parameter and explains itself", () => {
    const refusal = checkQuery("posts", { filter: 'title = "x"', sort: "posts_via_author.title" }, lookup);
    expect(refusal?.param).toBe("sort");
    expect(refusal?.message).toMatch(/back-relation/);
  });
});
