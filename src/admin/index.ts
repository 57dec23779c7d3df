// Admin tasks as library functions; scripts/superuser.ts, seed.ts, backup.ts and restore.ts are thin
// command-line shells over them. (The first superuser from PB_SUPERUSER_EMAIL is made by the engine
// itself at start: pb_hooks/environment.pb.ts.)
export { upsertSuperuser, type UpsertSuperuserResult } from "./superuser.js";
export { validateSuperuserCredentials, PASSWORD_MIN, PASSWORD_MAX, PASSWORD_MAX_BYTES, type SuperuserCredentials } from "./credentials.js";
export { seed, type SeedReport, type SeedCount } from "./seed.js";
export { DEMO_USERS, type DemoUser, type DemoTodo } from "./demoData.js";
export { backupViaServer, backupOffline, backupName, DEFAULT_BACKUP_DIR, type BackupResult } from "./backup.js";
export { restoreViaServer, restoreOffline, assertBackupArchive, type RestoreResult } from "./restore.js";
export { connectAsSuperuser, isServerUp, waitForHealthy, serverTargetFrom, type ServerTarget } from "./server.js";
export { runStarterCommand, type StarterCommandResult } from "./engineCommand.js";
