// Unit tests of pb_hooks/lib/strictParse.ts: the guard reads realtime topics and batch URLs the way the
// engine's Go code does, or refuses them. Each refused case is one that an attacker used, or could use,
// to show the guard one value and the engine another.
import { describe, expect, it } from "vitest";
import { strictJsonObject, strictQuery, topicCollection } from "../pb_hooks/lib/strictParse.js";

describe("strictQuery", () => {
  it.each([
    ["filter=a%20b&x=1", { filter: "a b" }],
    ["filter=a+b", { filter: "a b" }],
    ["x=1", { filter: null }],
    ["", { filter: null }],
  ])("reads %j", (raw, expected) => expect(strictQuery(raw, ["filter"])).toEqual(expected));

  it.each(["filter=a&filter=b", "filter=a;b", "x=1;&filter=a", "filter=%zz", "filter=%C3"])("refuses %j", (raw) =>
    expect(strictQuery(raw, ["filter"])).toBeNull(),
  );
});

describe("strictJsonObject", () => {
  it.each([
    ['{"query":{"filter":"id != \\"\\""}}', { query: { filter: 'id != ""' } }],
    ['{"query":{"filter":"x"},"headers":{"filter":"y"}}', { query: { filter: "x" }, headers: { filter: "y" } }],
    ['{"a":[{"k":1},{"k":2}],"b":{"k":[]}}', { a: [{ k: 1 }, { k: 2 }], b: { k: [] } }],
    ['{"query":{"filter":"\\ud83d\\ude00 , : { ["}}', { query: { filter: "😀 , : { [" } }],
    [JSON.stringify({ query: { filter: 'a = "\\"," && b = "}"' } }), { query: { filter: 'a = "\\"," && b = "}"' } }],
  ])("reads %s", (text, expected) => expect(strictJsonObject(text)).toEqual(expected));

  it.each([
    // A name given twice: JSON.parse keeps the last, the engine the first.
    '{"query":{"filter":"evil","filter":"id != \'\'"}}',
    '{"query":{"filter":"evil"},"query":{}}',
    '{"query":{"filter":"evil","filt\\u0065r":"ok"}}',
    '{"a":[{"b":{"c":1,"c":2}}]}',
    // Half of a surrogate pair, text that is not JSON, and anything but an object.
    '{"query":{"filter":"\\ud800"}}',
    '{"query":{"filter":"x"}',
    "[]",
    "null",
    '"text"',
  ])("refuses %s", (text) => expect(strictJsonObject(text)).toBeNull());

  it("allows the same name in different objects", () => {
    expect(strictJsonObject('{"a":{"k":1},"b":{"k":2},"k":3}')).toEqual({ a: { k: 1 }, b: { k: 2 }, k: 3 });
  });
});

describe("topicCollection", () => {
  it.each([
    ["todos/*?options=x", "todos"],
    ["todos/abc123?options=x", "todos"],
    ["todos", "todos"],
    // The engine's older form: the collection ends at "?", even when the options hold a "/".
    ['todos?options={"query":{"filter":"a = \'/\'"}}', "todos"],
  ])("%s names %s", (topic, expected) => expect(topicCollection(topic)).toBe(expected));
});
