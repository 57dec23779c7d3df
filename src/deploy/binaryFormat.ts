import { open } from "node:fs/promises";
import type { BundleTarget } from "./target.js";

/**
 * Which OS/arch an executable was built for, read from its header (ELF or Mach-O). A binary built for
 * another machine cannot be asked for its --version, so this is how a cross-built engine is checked.
 * Null when the file is neither (a script, a zip, an error page saved as a file).
 */
export async function executableTarget(file: string): Promise<{ os: string; arch: string } | null> {
  const handle = await open(file, "r");
  try {
    const header = Buffer.alloc(64);
    const { bytesRead } = await handle.read(header, 0, 64, 0);
    return parseExecutableHeader(header.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** ELF e_machine values of the architectures PocketBase is released for. */
const ELF_MACHINES: Record<number, string> = { 0x3e: "amd64", 0xb7: "arm64", 0x28: "armv7", 0x16: "s390x", 0x15: "ppc64le" };
/** Mach-O cputype values (64-bit ABI flag included). */
const MACHO_CPUS: Record<number, string> = { 0x01000007: "amd64", 0x0100000c: "arm64" };

export function parseExecutableHeader(header: Buffer): { os: string; arch: string } | null {
  if (header.length >= 20 && header.readUInt32BE(0) === 0x7f454c46) {
    const littleEndian = header[5] === 1;
    const machine = littleEndian ? header.readUInt16LE(18) : header.readUInt16BE(18);
    const arch = ELF_MACHINES[machine];
    return arch ? { os: "linux", arch } : { os: "linux", arch: `elf-machine-${machine}` };
  }
  if (header.length >= 8 && header.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = header.readUInt32LE(4);
    return { os: "darwin", arch: MACHO_CPUS[cpu] ?? `macho-cpu-${cpu}` };
  }
  return null;
}

/** True when `file`'s header says it runs on `target`. */
export async function isExecutableFor(file: string, target: BundleTarget): Promise<boolean> {
  const found = await executableTarget(file).catch(() => null);
  return found !== null && found.os === target.os && found.arch === target.arch;
}

/**
 * True when `file` is an ELF executable with no program interpreter (PT_INTERP), i.e. statically linked:
 * it runs in an image that has no libc, like one built FROM scratch.
 */
export async function isStaticElf(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const header = Buffer.alloc(64);
    await handle.read(header, 0, 64, 0);
    if (header.readUInt32BE(0) !== 0x7f454c46) return false;
    const is64 = header[4] === 2;
    const le = header[5] === 1;
    const u16 = (b: Buffer, at: number) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
    const u32 = (b: Buffer, at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
    const phoff = is64 ? Number(le ? header.readBigUInt64LE(32) : header.readBigUInt64BE(32)) : u32(header, 28);
    const phentsize = u16(header, is64 ? 54 : 42);
    const phnum = u16(header, is64 ? 56 : 44);
    const table = Buffer.alloc(phentsize * phnum);
    await handle.read(table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i++) if (u32(table, i * phentsize) === 3) return false; // PT_INTERP
    return true;
  } finally {
    await handle.close();
  }
}
