// The realtime surface of the side-channel probe. A subscription's options carry a filter, expand and
// fields that the engine evaluates each time a record changes, on a code path of its own (and the guard
// reads them on a path of its own). A question here is a subscription on a record B can see; its answer
// is the engine's reply to the subscription and, if accepted, whether the record's next change reached B
// and what that event held.
import { QUERY_LIMITS } from "../../pb_hooks/lib/queryGuard.js";
import { comparable, describeAnswer, type AuditHttp, type Answer } from "./http.js";

/** One subscription to ask about: `topic` is "<collection>/<record id>?options=<JSON>" (or another form). */
export interface RealtimeQuestion {
  key: string;
  topic: string;
  /** The topic without options whose event proves that the record's change went out. */
  control: string;
}

export interface RealtimeAsk {
  http: AuditHttp;
  /** B's Authorization header: the subscriptions are B's. */
  token: string;
  questions: RealtimeQuestion[];
  /** Saves the records the questions are about (the change the subscriptions hear). */
  touch: () => Promise<void>;
  /** Field names left out of events (what the touch itself changes, such as `updated`). */
  volatile: ReadonlySet<string>;
}

/** Asks every question; answers by key, as comparable text. */
export async function askRealtime(ask: RealtimeAsk): Promise<Map<string, string>> {
  const answers = new Map<string, string>();
  // Each question alone first: one refused topic refuses its whole request.
  const accepted: RealtimeQuestion[] = [];
  const screen = await RealtimeClient.open(ask.http.url);
  try {
    let next = 0;
    const worker = async () => {
      while (next < ask.questions.length) {
        const question = ask.questions[next++]!;
        const answer = await screen.subscribe(ask.http, ask.token, [question.topic]);
        if (answer.status === 204) accepted.push(question);
        else answers.set(question.key, describeAnswer(answer, ask.volatile));
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  } finally {
    screen.close();
  }

  // As many clients as it takes: the guard allows each QUERY_LIMITS.subscriptionsPerClient topics,
  // its questions and their controls.
  const groups: RealtimeQuestion[][] = [];
  let group: RealtimeQuestion[] = [];
  let topics = new Set<string>(); // the group's subscriptions: its questions and their controls
  for (const question of accepted) {
    const adds = 1 + (topics.has(question.control) ? 0 : 1);
    if (group.length && topics.size + adds > QUERY_LIMITS.subscriptionsPerClient) {
      groups.push(group);
      group = [];
      topics = new Set();
    }
    group.push(question);
    topics.add(question.topic).add(question.control);
  }
  if (group.length) groups.push(group);

  const clients: Array<{ client: RealtimeClient; questions: RealtimeQuestion[]; controls: string[] }> = [];
  try {
    for (const questions of groups) {
      const controls = [...new Set(questions.map((q) => q.control))];
      const client = await RealtimeClient.open(ask.http.url);
      clients.push({ client, questions, controls });
      const answer = await client.subscribe(ask.http, ask.token, [...controls, ...questions.map((q) => q.topic)]);
      if (answer.status !== 204) throw new Error(`Subscribing to accepted topics failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    await ask.touch();
    for (const { client, controls } of clients) await client.waitFor(controls);
    // Every subscription was judged before the touch answered; the events are sent on their own.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const { client, questions } of clients) {
      for (const question of questions) {
        const events = client.events.get(question.topic) ?? [];
        const heard = events.map((event) => comparable(event, ask.volatile));
        answers.set(question.key, heard.length ? `204 event ${JSON.stringify(heard)}` : "204 no event");
      }
    }
  } finally {
    for (const { client } of clients) client.close();
  }
  return answers;
}

/** One connection to /api/realtime (server-sent events), collecting each topic's event data. */
class RealtimeClient {
  readonly events = new Map<string, unknown[]>();
  private constructor(
    readonly clientId: string,
    private readonly abort: AbortController,
  ) {}

  static async open(url: string): Promise<RealtimeClient> {
    const abort = new AbortController();
    const response = await fetch(`${url}/api/realtime`, { signal: abort.signal });
    if (!response.ok || !response.body) throw new Error(`GET /api/realtime answered ${response.status}`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const readEvent = async (): Promise<{ name: string; data: string } | null> => {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string) =>
            block
              .split("\n")
              .filter((line) => line.startsWith(`${name}:`))
              .map((line) => line.slice(name.length + 1))
              .join("\n");
          return { name: field("event"), data: field("data") };
        }
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
      }
    };
    const connect = await readEvent();
    if (connect?.name !== "PB_CONNECT") throw new Error("/api/realtime did not start with PB_CONNECT");
    const client = new RealtimeClient((JSON.parse(connect.data) as { clientId: string }).clientId, abort);
    const events = client.events;
    void (async () => {
      for (let event = await readEvent(); event; event = await readEvent()) {
        let data: unknown = event.data;
        try {
          data = JSON.parse(event.data);
        } catch {
          // not JSON: keep the text
        }
        events.set(event.name, [...(events.get(event.name) ?? []), data]);
      }
    })();
    return client;
  }

  subscribe(http: AuditHttp, token: string, topics: string[]): Promise<Answer> {
    return http.call("POST", "/api/realtime", { token, body: { clientId: this.clientId, subscriptions: topics } });
  }

  /** Waits until each topic has had an event (or 10 s: a missing control then fails the probe). */
  async waitFor(topics: string[]): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!topics.every((topic) => this.events.has(topic))) {
      if (Date.now() > deadline) throw new Error(`No realtime event for ${topics.filter((t) => !this.events.has(t)).join(", ")}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.abort.abort();
  }
}
