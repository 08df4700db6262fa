import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

// `<dataDir>/control.json`: how a `schalter` command finds the server that holds the data folder
// (docs/decisions/0011-town-file.md, "set-up, user and token commands while the server runs").
// Whoever can read the data folder can read the database itself, so the token in this file grants
// nothing beyond that; a local user who cannot read the folder cannot act.

export const CONTROL_FILE = 'control.json';

const ControlFileSchema = z.object({
  pid: z.number().int().positive(),
  port: z.number().int().min(1).max(65_535),
  version: z.string().min(1),
  token: z.string().min(43),
});

export type ControlFile = z.infer<typeof ControlFileSchema>;

export function controlFilePath(dataDir: string): string {
  return path.join(dataDir, CONTROL_FILE);
}

/**
 * Written after the data folder is locked, readable by the owner only (0600), through a temporary file
 * and a rename: a command that reads it at the same moment sees the old file or the new one, never half.
 */
export function writeControlFile(dataDir: string, content: ControlFile): void {
  const target = controlFilePath(dataDir);
  const temporary = `${target}.${process.pid}.tmp`;
  // A leftover of a crash may carry other permissions; a file created anew gets 0600 (umask only removes bits).
  fs.rmSync(temporary, { force: true });
  fs.writeFileSync(temporary, `${JSON.stringify(content)}\n`, { mode: 0o600, flag: 'wx' });
  fs.renameSync(temporary, target);
}

/** Removed at shutdown, and only if it is still this process's file (a newer server may have written its own). */
export function removeControlFile(dataDir: string, pid: number): void {
  const file = controlFilePath(dataDir);
  try {
    if (readControlFile(dataDir)?.pid === pid) fs.unlinkSync(file);
  } catch {
    // already gone
  }
}

/** The file as the server wrote it; null when there is none; an error when it cannot be read or is not ours. */
export function readControlFile(dataDir: string): ControlFile | null {
  let text: string;
  try {
    text = fs.readFileSync(controlFilePath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = ControlFileSchema.safeParse(safeJson(text));
  if (!parsed.success) throw new Error(`${controlFilePath(dataDir)} is not a control file written by schalter`);
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
