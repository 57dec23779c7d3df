// Type-level tests, run by vitest's typecheck mode (tsc) as part of the suite: every @ts-expect-error line
// must really be an error (a wrong field name or type), and every expectTypeOf check must hold.
import { describe, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import {
  createClient,
  todoCreateInputSchema,
  todoRecordSchema,
  userRecordSchema,
  type CategoryCreateInput,
  type CategoryRecord,
  type CollectionRecords,
  type CollectionTypes,
  type StarterError,
  type TodoCreateInput,
  type TodoEvent,
  type TodoPage,
  type TodoPageWithTotal,
  type TodoRecord,
  type TodoUpdateInput,
  type UserRecord,
} from "../packages/sdk/src/index.js";

const client = createClient({ url: "http://127.0.0.1:8090" });

describe("generated types", () => {
  it("record types match their zod schemas", () => {
    expectTypeOf<z.output<typeof todoRecordSchema>>().toEqualTypeOf<TodoRecord>();
    expectTypeOf<z.output<typeof userRecordSchema>>().toEqualTypeOf<UserRecord>();
    expectTypeOf<z.output<typeof todoCreateInputSchema>>().toEqualTypeOf<TodoCreateInput>();
    expectTypeOf<CollectionRecords["todos"]>().toEqualTypeOf<TodoRecord>();
  });

  it("records have the schema's fields with the schema's types", () => {
    expectTypeOf<TodoRecord>().toHaveProperty("task").toEqualTypeOf<string>();
    expectTypeOf<TodoRecord>().toHaveProperty("done").toEqualTypeOf<boolean>();
    expectTypeOf<TodoRecord>().toHaveProperty("category").toEqualTypeOf<string>();
    expectTypeOf<CategoryRecord>().toHaveProperty("name").toEqualTypeOf<string>();
    expectTypeOf<TodoRecord>().not.toHaveProperty("title");
    expectTypeOf<UserRecord>().not.toHaveProperty("password");
    expectTypeOf<UserRecord>().not.toHaveProperty("tokenKey");
    // The owner is set by the server: clients cannot send it.
    expectTypeOf<TodoCreateInput>().not.toHaveProperty("owner");
    expectTypeOf<TodoUpdateInput>().not.toHaveProperty("owner");
  });
});

describe("client signatures", () => {
  it("methods take and return the generated types", () => {
    expectTypeOf(client.todos.create).parameter(0).toEqualTypeOf<TodoCreateInput>();
    expectTypeOf(client.todos.create).returns.resolves.toEqualTypeOf<TodoRecord>();
    expectTypeOf(client.todos.get).returns.resolves.toEqualTypeOf<TodoRecord>();
    expectTypeOf(client.todos.createMany).returns.resolves.toEqualTypeOf<TodoRecord[]>();
    expectTypeOf(client.collection("categories").listAll).returns.resolves.toEqualTypeOf<CategoryRecord[]>();
    expectTypeOf(client.auth.user).toEqualTypeOf<UserRecord | null>();
    expectTypeOf(client.todos.subscribe).parameter(0).parameter(0).toEqualTypeOf<TodoEvent>();
    expectTypeOf(client.todos.subscribe).returns.resolves.toEqualTypeOf<() => Promise<void>>();
  });

  it("list adds the totals only when asked for them", () => {
    // Never called (no engine here): only the types of the calls matter.
    const _lists = () => ({ counted: client.todos.list({ withTotal: true }), plain: client.todos.list({ done: true }) });
    expectTypeOf<ReturnType<typeof _lists>["counted"]>().resolves.toEqualTypeOf<TodoPageWithTotal>();
    expectTypeOf<ReturnType<typeof _lists>["plain"]>().resolves.toEqualTypeOf<TodoPage>();
    expectTypeOf<TodoPage>().not.toHaveProperty("totalItems");
  });

  it("wrong field names and types do not compile", () => {
    // Never called: these lines only need to type-check (or fail to, where marked).
    const mistakes = () => {
      // @ts-expect-error misspelled field
      void client.todos.create({ tsak: "x", category: "c" });
      // @ts-expect-error wrong type for done
      void client.todos.create({ task: "x", category: "c", done: "yes" });
      // @ts-expect-error category is required
      void client.todos.create({ task: "x" });
      // @ts-expect-error the owner cannot be sent
      void client.todos.create({ task: "x", category: "c", owner: "someone" });
      // @ts-expect-error unknown field in a patch
      void client.todos.update("id", { title: "x" });
      // @ts-expect-error wrong type in a patch
      void client.todos.update("id", { task: 42 });
      // @ts-expect-error sort outside the allow-list
      void client.todos.list({ sort: "owner" });
      // @ts-expect-error unknown list option
      void client.todos.list({ filter: "owner != ''" });
      // @ts-expect-error updateMany items need an id
      void client.todos.updateMany([{ done: true }]);
      // @ts-expect-error register needs a password
      void client.auth.register({ email: "a@example.com" });
      const todo = {} as TodoRecord;
      // @ts-expect-error records have no such field
      void todo.title;
      // @ts-expect-error task is a string
      const n: number = todo.task;
      void n;
    };
    void mistakes;
    expectTypeOf<StarterError["fields"]>().toEqualTypeOf<Readonly<Record<string, string>>>();
  });
});

describe("the generic client: client.collection(name)", () => {
  it("is typed by the generated schema for every collection", () => {
    const categories = client.collection("categories");
    expectTypeOf(categories.get).returns.resolves.toEqualTypeOf<CategoryRecord>();
    expectTypeOf(categories.create).parameter(0).toEqualTypeOf<CategoryCreateInput>();
    expectTypeOf<Awaited<ReturnType<ReturnType<typeof client.collection<"todos">>["list"]>>["items"]>().toEqualTypeOf<TodoRecord[]>();
    expectTypeOf(client.collection("todos").createMany).parameter(0).toEqualTypeOf<TodoCreateInput[]>();
    expectTypeOf(client.collection("users").get).returns.resolves.toEqualTypeOf<UserRecord>();
    // Exactly the generated collections (a collection added with npm run new:collection joins them).
    expectTypeOf<Parameters<typeof client.collection>[0]>().toEqualTypeOf<keyof CollectionTypes>();
    expectTypeOf<"categories" | "todos" | "users">().toExtend<keyof CollectionTypes>();
    expectTypeOf<CollectionTypes["todos"]["update"]>().toEqualTypeOf<TodoUpdateInput>();

    const mistakes = () => {
      // @ts-expect-error no such collection (no collection name holds a space)
      void client.collection("no such collection");
      // @ts-expect-error a category has no task
      void client.collection("categories").create({ task: "x" });
      // @ts-expect-error the owner cannot be sent through the generic client either
      void client.collection("todos").create({ task: "x", category: "c", owner: "someone" });
    };
    void mistakes;
  });
});
