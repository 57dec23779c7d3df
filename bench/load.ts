// Parent side of the load driver: one long-lived child process (bench/load-worker.ts under tsx) that
// runs every job, so the load generator never shares an event loop with the bench itself.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { LoadJob, LoadResult, WorkerMessage } from "./load-types.js";

export interface LoadDriver {
  run(job: LoadJob): Promise<LoadResult>;
  close(): void;
}

/** Starts the load-driver process; close() it when done. */
export function startLoadDriver(): LoadDriver {
  const workerPath = fileURLToPath(new URL("./load-worker.ts", import.meta.url));
  const child: ChildProcess = fork(workerPath, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    // Structured clone keeps NaN (a run with no successful response) instead of turning it into null.
    serialization: "advanced",
  });
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  return {
    run(job) {
      if (exited) return Promise.reject(new Error("the load driver process has exited"));
      return new Promise<LoadResult>((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`the load driver exited (code ${code}) during a run`));
        child.once("exit", onExit);
        child.once("message", (message: WorkerMessage) => {
          child.off("exit", onExit);
          if (message.type === "result") resolve(message.result);
          else reject(new Error(`load driver: ${message.message}`));
        });
        child.send(job);
      });
    },
    close() {
      if (!exited) child.disconnect();
    },
  };
}
