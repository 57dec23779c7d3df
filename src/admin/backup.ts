import { createWriteStream } from "node:fs";
import { copyFile, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { ClientResponseError } from "pocketbase";
import { projectRoot } from "../paths.js";
import { UserError } from "../errors.js";
import type { EngineDirs } from "../engine/index.js";
import { runStarterCommand } from "./engineCommand.js";
import { connectAsSuperuser, describeError, type ServerTarget } from "./server.js";
import { exists } from "../files.js";

/** Where `npm run backup` puts archives unless told otherwise (gitignored). */
export const DEFAULT_BACKUP_DIR = path.join(projectRoot, "backups");

/** The engine's rule for backup names (apis/backup_create.go). */
const BACKUP_NAME = /^[a-z0-9_-]+\.zip$/;

export interface BackupResult {
  /** The archive's name in the engine's backups folder. */
  name: string;
  /** Where the archive was written for you. */
  file: string;
  /** "server": made by the running server; "offline": by the engine directly on the data dir. */
  via: "server" | "offline";
}

/** A sortable UTC timestamp for names, e.g. 20250102_030405. */
export function timestamp(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, "").replace("T", "_").slice(0, 15);
}

/** `backup_<UTC timestamp>.zip`, or the given name (".zip" added) checked against the engine's rule. */
export function backupName(name?: string): string {
  if (!name) return `backup_${timestamp()}.zip`;
  const withExtension = name.endsWith(".zip") ? name : `${name}.zip`;
  if (!BACKUP_NAME.test(withExtension) || withExtension.length > 150) {
    throw new UserError(`Backup name "${name}" must use only a-z, 0-9, "_" and "-" (e.g. before_upgrade).`);
  }
  return withExtension;
}

async function prepareOutFile(outFile: string): Promise<void> {
  if (await exists(outFile)) throw new UserError(`${outFile} already exists; pick another --name or --out.`);
  await mkdir(path.dirname(outFile), { recursive: true });
}

/**
 * Asks a running server for a backup (the engine's own facility: a consistent snapshot taken inside a
 * transaction) and downloads it to `outFile`. The server also keeps its copy in <data dir>/backups,
 * where the dashboard lists it.
 */
export async function backupViaServer(target: ServerTarget, options: { name?: string; outFile?: string } = {}): Promise<BackupResult> {
  const name = backupName(options.name);
  const outFile = path.resolve(options.outFile ?? path.join(DEFAULT_BACKUP_DIR, name));
  await prepareOutFile(outFile);
  const pb = await connectAsSuperuser(target);
  try {
    await pb.backups.create(name);
  } catch (error) {
    const code = error instanceof ClientResponseError ? (error.response?.data as Record<string, { code?: string }>)?.name?.code : undefined;
    if (code === "validation_backup_name_exists")
      throw new UserError(`The server already has a backup named ${name}; pass another --name.`);
    throw new UserError(`The server could not create the backup: ${describeError(error)}`);
  }
  const token = await pb.files.getToken();
  const response = await fetch(pb.backups.getDownloadURL(token, name));
  if (!response.ok || !response.body) throw new UserError(`Downloading backup ${name} failed: HTTP ${response.status}.`);
  const partial = `${outFile}.part`;
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(partial));
    await rename(partial, outFile);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return { name, file: outFile, via: "server" };
}

/**
 * Backs up a data dir with the engine itself while no server runs on it (same archive format as the
 * server's), then copies the archive to `outFile`. The engine keeps its copy in <data dir>/backups.
 */
export async function backupOffline(
  binary: string,
  dirs: EngineDirs,
  options: { name?: string; outFile?: string } = {},
): Promise<BackupResult> {
  const name = backupName(options.name);
  const outFile = path.resolve(options.outFile ?? path.join(DEFAULT_BACKUP_DIR, name));
  if (!(await exists(path.join(dirs.dataDir, "data.db")))) {
    throw new UserError(`There is no data to back up in ${dirs.dataDir} (no data.db). Is PB_DATA_DIR right?`);
  }
  const engineCopy = path.join(dirs.dataDir, "backups", name);
  if (await exists(engineCopy)) throw new UserError(`${engineCopy} already exists; pass another --name.`);
  await prepareOutFile(outFile);
  await runStarterCommand(binary, "starter-backup", [name], dirs);
  if (path.resolve(engineCopy) !== outFile) await copyFile(engineCopy, outFile);
  return { name, file: outFile, via: "offline" };
}
