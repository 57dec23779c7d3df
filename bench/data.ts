// Fast data generation for the bench, through the engine's superuser SQL API (POST /api/sql, one
// transaction per statement): rows are produced inside SQLite by a recursive CTE, so a million todos
// take seconds and no bcrypt runs per user. Ids follow PocketBase's shape (15 chars of [a-z0-9]) and
// are deterministic, so the load driver knows which todos each user owns without asking.
import type { BenchEngine } from "./engines.js";
import { requestJson } from "./http.js";

const ID_LENGTH = 15;
/** Seeded todos: "t" + 14 digits. Rows written by the load itself carry tasks starting with "load ". */
export const SEEDED_TODO_PREFIX = "t";
export const LOAD_TASK_PREFIX = "load ";
/** The one category every bench todo points at (ours also has its default categories; unused here). */
export const BENCH_CATEGORY_ID = "benchcategory01";
export const BENCH_PASSWORD = "bench-user-password-1";
/** Seeded rows get created/updated timestamps from here on, 10 ms apart. */
const SEED_EPOCH_SECONDS = 1_735_689_600; // 2025-01-01T00:00:00Z

/** A PocketBase-shaped id: the prefix, then n zero-padded to 15 characters. */
export function benchId(prefix: string, n: number): string {
  const digits = String(n);
  if (!/^[a-z0-9]+$/.test(prefix) || prefix.length + digits.length > ID_LENGTH) throw new Error(`cannot make an id from ${prefix} + ${n}`);
  return prefix + digits.padStart(ID_LENGTH - prefix.length, "0");
}

export const userId = (n: number): string => benchId("u", n);
export const todoId = (n: number): string => benchId(SEEDED_TODO_PREFIX, n);

/** SQL for the same id shape as benchId(), computed inside SQLite from the integer column `n`. */
function sqlId(prefix: string, expression: string): string {
  return `'${prefix}' || printf('%0${ID_LENGTH - prefix.length}d', ${expression})`;
}

/** Integers from..to-1 as the CTE `seq(n)`. */
function sequence(from: number, to: number): string {
  return `WITH RECURSIVE seq(n) AS (SELECT ${from} UNION ALL SELECT n + 1 FROM seq WHERE n < ${to - 1})`;
}

const SQL_TIMESTAMP = `strftime('%Y-%m-%d %H:%M:%fZ', ${SEED_EPOCH_SECONDS} + n / 100.0, 'unixepoch')`;

/**
 * Users from..to-1 ("u" ids, bench<n>@example.com), all with the password hash of an existing template
 * user (one bcrypt for all) and each with its own random tokenKey.
 */
export function insertUsersSql(from: number, to: number, templateId: string): string {
  return `INSERT INTO users (id, email, emailVisibility, verified, name, avatar, password, tokenKey, created, updated)
${sequence(from, to)}
SELECT ${sqlId("u", "n")}, 'bench' || n || '@example.com', 0, 1, 'Bench user ' || n, '',
  (SELECT password FROM users WHERE id = '${templateId}'), lower(hex(randomblob(25))), ${SQL_TIMESTAMP}, ${SQL_TIMESTAMP}
FROM seq`;
}

export interface TodoRows {
  /** Id prefix; ids are benchId(prefix, n). */
  prefix: string;
  from: number;
  to: number;
  /** Row n belongs to user n % owners (users 0..owners-1), so owners spread round-robin. */
  owners: number;
  /** Task text prefix; "load " marks rows that cleanup removes. */
  taskPrefix?: string;
}

/** Todos from..to-1, spread round-robin over the first `owners` users, timestamps 10 ms apart. */
export function insertTodosSql(rows: TodoRows): string {
  const task = `'${rows.taskPrefix ?? "Seeded todo "}' || n`;
  return `INSERT INTO todos (id, task, done, category, owner, created, updated)
${sequence(rows.from, rows.to)}
SELECT ${sqlId(rows.prefix, "n")}, ${task}, n % 7 = 0, '${BENCH_CATEGORY_ID}', ${sqlId("u", `n % ${rows.owners}`)}, ${SQL_TIMESTAMP}, ${SQL_TIMESTAMP}
FROM seq`;
}

/** Removes every row the load wrote (creates, batches, leftover delete targets): back to the seeded size. */
export const deleteLoadRowsSql = `DELETE FROM todos WHERE task GLOB '${LOAD_TASK_PREFIX}*'`;

/** Runs one SQL statement through the superuser SQL API; returns the affected row count. */
export async function runSql(engine: BenchEngine, query: string): Promise<number> {
  const result = await requestJson<{ affectedRows: number }>(`${engine.url}/api/sql`, { token: engine.superuserToken, body: { query } });
  return result.affectedRows;
}

/** Rows of a read query (at most 1000, the SQL API's cap), each value as text. */
export async function querySql(engine: BenchEngine, query: string): Promise<Array<Array<string | null>>> {
  const result = await requestJson<{ rows: Array<Array<string | null>> }>(`${engine.url}/api/sql`, {
    token: engine.superuserToken,
    body: { query },
  });
  return result.rows;
}

/** The bench category and `count` users: user 0 through the API (one bcrypt), the rest copied by SQL. */
export async function seedUsers(engine: BenchEngine, count: number): Promise<void> {
  await runSql(
    engine,
    `INSERT INTO categories (id, name, created, updated) VALUES ('${BENCH_CATEGORY_ID}', 'Bench', '2025-01-01 00:00:00.000Z', '2025-01-01 00:00:00.000Z')`,
  );
  const template = userId(0);
  await requestJson(`${engine.url}/api/collections/users/records`, {
    token: engine.superuserToken,
    body: { id: template, email: "bench0@example.com", password: BENCH_PASSWORD, passwordConfirm: BENCH_PASSWORD, verified: true },
  });
  if (count > 1) await runSql(engine, insertUsersSql(1, count, template));
}

/**
 * Adds seeded todos from..to-1 over `owners` users, in chunks so no statement nears the SQL API's
 * timeout. Large loads drop the todos indexes first and rebuild them afterwards from their own SQL
 * (a sorted build is far faster than a million scattered index inserts), like a database restore.
 */
export async function seedTodos(engine: BenchEngine, from: number, to: number, owners: number, chunk = 250_000): Promise<void> {
  const rebuild = to - from >= 50_000;
  const indexes = rebuild
    ? await querySql(engine, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'todos' AND sql IS NOT NULL")
    : [];
  for (const [name] of indexes) await runSql(engine, `DROP INDEX IF EXISTS \`${name}\``);
  try {
    for (let start = from; start < to; start += chunk) {
      await runSql(engine, insertTodosSql({ prefix: SEEDED_TODO_PREFIX, from: start, to: Math.min(start + chunk, to), owners }));
    }
  } finally {
    for (const [, sql] of indexes) if (sql) await runSql(engine, sql);
  }
}

/**
 * Auth tokens for the given users, minted by the superuser (impersonate: no password hashing). They
 * are ordinary user tokens to the engine, verified on every request like any login token.
 */
export async function userTokens(engine: BenchEngine, ids: readonly string[], durationSeconds = 6 * 3600): Promise<string[]> {
  const tokens: string[] = [];
  for (const id of ids) {
    const auth = await requestJson<{ token: string }>(`${engine.url}/api/collections/users/impersonate/${id}`, {
      token: engine.superuserToken,
      body: { duration: durationSeconds },
    });
    tokens.push(auth.token);
  }
  return tokens;
}

/** Seeded todo ids owned by user `user` (of `users`) among the first `size` seeded rows, at most `max`. */
export function ownedTodoIds(user: number, users: number, size: number, max: number): string[] {
  const ids: string[] = [];
  for (let n = user; n < size && ids.length < max; n += users) ids.push(todoId(n));
  return ids;
}
