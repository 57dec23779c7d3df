// The load driver: a separate process (forked by bench/load.ts) so that generating load never competes
// with the bench's own event loop. Receives LoadJob messages, runs autocannon, answers LoadResult.
import autocannon from "autocannon";
import { summarizeLatencies } from "./stats.js";
import type { LoadJob, LoadResult, RequestSpec, WorkerMessage } from "./load-types.js";

/** Runs one job: autocannon with the job's requests sent round-robin, every 2xx latency recorded. */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const warmupMs = job.amount ? 0 : (job.warmupSec ?? 0) * 1000;
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let ok = 0;
  let non2xx = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const start = performance.now();
  let measuring = warmupMs === 0;
  let windowStart = start;
  let lastResponse = start;

  const instance = autocannon({
    url: job.url,
    connections: job.connections,
    pipelining: 1,
    timeout: job.timeoutSec,
    ...(job.amount ? { amount: job.amount } : { duration: (job.durationSec ?? 1) + warmupMs / 1000 }),
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => {
          const spec: RequestSpec = job.requests[next++ % job.requests.length]!;
          return { ...request, method: spec.method, path: spec.path, headers: spec.headers, body: spec.body };
        },
        onResponse: (status: number, body: string) => {
          if ((status < 200 || status > 299) && firstFailure === undefined) firstFailure = `${status} ${String(body).slice(0, 300)}`;
        },
      },
    ],
  });

  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (!measuring) {
      if (performance.now() - start < warmupMs) return;
      measuring = true;
      windowStart = performance.now();
    }
    lastResponse = performance.now();
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode <= 299) {
      ok++;
      latencies.push(responseTime);
    } else {
      non2xx++;
    }
  });

  const summary = await instance;
  // Up to the last response: autocannon notices a finished count-bounded run only on its next tick.
  const elapsedMs = lastResponse - windowStart;
  return {
    ok,
    non2xx,
    errors: summary.errors,
    timeouts: summary.timeouts,
    elapsedMs,
    rps: elapsedMs > 0 ? (ok * 1000) / elapsedMs : 0,
    latency: summarizeLatencies(latencies),
    samples: Float64Array.from(latencies),
    statusCodes,
    firstFailure,
  };
}

function reply(message: WorkerMessage): void {
  process.send?.(message);
}

if (process.send) {
  process.on("message", (job: LoadJob) => {
    runLoad(job).then(
      (result) => reply({ type: "result", result }),
      (error: unknown) => reply({ type: "error", message: error instanceof Error ? error.message : String(error) }),
    );
  });
  // The parent going away ends the driver too.
  process.on("disconnect", () => process.exit(0));
}
