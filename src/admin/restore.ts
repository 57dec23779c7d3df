import { openAsBlob } from "node:fs";
import { copyFile, mkdir, rm, stat } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import type PocketBase from "pocketbase";
import { UserError } from "../errors.js";
import type { EngineDirs } from "../engine/index.js";
import { timestamp } from "./backup.js";
import { runStarterCommand } from "./engineCommand.js";
import { connectAsSuperuser, describeError, waitForHealthy, type ServerTarget } from "./server.js";
import { zipEntryNames } from "./zip.js";

export interface RestoreResult {
  /**
   * Backup of the data as it was just before the restore, kept in the engine's backups folder: its name
   * on the server ("server"), or its path (offline). Null when there was no data yet.
   */
  safetyBackup: string | null;
  via: "server" | "offline";
}

/** Refuses anything that is not a PocketBase backup archive before the engine touches the data. */
export async function assertBackupArchive(file: string): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new UserError(`Backup file ${file} not found.`);
  const names = await zipEntryNames(file).catch((error: Error) => {
    throw new UserError(`${file} is not a backup archive (${error.message}).`);
  });
  if (!names.includes("data.db")) throw new UserError(`${file} is not a PocketBase backup (it has no data.db).`);
}

const uniqueName = (prefix: string) => `${prefix}_${timestamp()}_${randomBytes(3).toString("hex")}.zip`;

/**
 * Restores an archive on a running server with the engine's own facility: upload, restore, and wait
 * until the server has restarted on the restored data (it re-executes itself in place, same PID) and
 * answers /api/health again. Takes a safety backup of the current data first.
 */
export async function restoreViaServer(target: ServerTarget, file: string, options: { timeoutMs?: number } = {}): Promise<RestoreResult> {
  await assertBackupArchive(file);
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const pb = await connectAsSuperuser(target);
  const safetyBackup = uniqueName("pre_restore");
  const key = uniqueName("restore");
  try {
    await pb.backups.create(safetyBackup);
    const blob = await openAsBlob(file, { type: "application/zip" });
    await pb.backups.upload({ file: new File([blob], key, { type: "application/zip" }) });
  } catch (error) {
    throw new UserError(`Preparing the restore failed: ${describeError(error)}`);
  }

  // The restart closes every connection: an open realtime stream tells us exactly when it happened.
  const stream = await openRealtimeStream(target.url);
  const since = new Date(Date.now() - 1000);
  try {
    await pb.backups.restore(key);
    await waitForRestart(pb, stream, key, since, timeoutMs);
  } finally {
    stream.abort();
  }
  await waitForHealthy(target.url, timeoutMs);
  await removeUpload(pb, target, key);
  return { safetyBackup, via: "server" };
}

/**
 * Restores an archive into a data dir with the engine itself while no server runs on it. The current
 * data is backed up first into <data dir>/backups (which a restore never touches).
 */
export async function restoreOffline(binary: string, dirs: EngineDirs, file: string): Promise<RestoreResult> {
  await assertBackupArchive(file);
  const backupsDir = path.join(dirs.dataDir, "backups");
  let safetyBackup: string | null = null;
  if (await stat(path.join(dirs.dataDir, "data.db")).catch(() => null)) {
    safetyBackup = uniqueName("pre_restore");
    await runStarterCommand(binary, "starter-backup", [safetyBackup], dirs);
  }
  const key = uniqueName("restore");
  await mkdir(backupsDir, { recursive: true });
  await copyFile(file, path.join(backupsDir, key));
  try {
    await runStarterCommand(binary, "starter-restore", [key], dirs);
  } finally {
    await rm(path.join(backupsDir, key), { force: true });
  }
  return { safetyBackup: safetyBackup && path.join(backupsDir, safetyBackup), via: "offline" };
}

interface RealtimeStream {
  /** Settles when the server closes the connection. */
  closed: Promise<void>;
  abort(): void;
}

async function openRealtimeStream(url: string): Promise<RealtimeStream> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/realtime`, { signal: controller.signal, headers: { accept: "text/event-stream" } });
  const reader = response.body?.getReader();
  if (!response.ok || !reader) throw new UserError(`Could not open ${url}/api/realtime (HTTP ${response.status}).`);
  await reader.read(); // PB_CONNECT: the stream is live
  const closed = (async () => {
    try {
      while (!(await reader.read()).done);
    } catch {
      // reset by the restart, or aborted by us
    }
  })();
  return { closed, abort: () => controller.abort() };
}

/** Resolves when the server restarts; rejects when it logged a restore failure or took too long. */
async function waitForRestart(pb: PocketBase, stream: RealtimeStream, key: string, since: Date, timeoutMs: number): Promise<void> {
  let restarted = false;
  void stream.closed.then(() => (restarted = true));
  const deadline = Date.now() + timeoutMs;
  while (!restarted) {
    await Promise.race([stream.closed, new Promise((resolve) => setTimeout(resolve, 1000))]);
    if (restarted) return;
    const failure = await restoreFailure(pb, key, since);
    if (failure) throw new UserError(`The server could not restore the backup: ${failure}`);
    if (Date.now() > deadline)
      throw new UserError(
        `The server did not restart within ${Math.round(timeoutMs / 1000)} s after the restore request; check its output.`,
      );
  }
}

/** The engine logs a failed restore (it answered 204 before starting); look for that entry. */
async function restoreFailure(pb: PocketBase, key: string, since: Date): Promise<string | null> {
  try {
    const logs = await pb.logs.getList(1, 5, {
      filter: pb.filter("message = {:message} && created >= {:since}", { message: "Failed to restore backup", since }),
      skipTotal: true,
    });
    const entry = logs.items.find((item) => (item.data as { key?: string })?.key === key);
    return entry ? String((entry.data as { error?: string }).error ?? "see the server log") : null;
  } catch {
    return null; // the server may be restarting right now
  }
}

/** Deletes the uploaded copy (a restore keeps the backups folder); the restored data may have other credentials. */
async function removeUpload(pb: PocketBase, target: ServerTarget, key: string): Promise<void> {
  try {
    await pb.backups.delete(key);
  } catch {
    try {
      await (await connectAsSuperuser(target)).backups.delete(key);
    } catch {
      // Not fatal: the copy stays listed in the dashboard's backups.
    }
  }
}
