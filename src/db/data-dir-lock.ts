import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number | null,
  ) {
    super(
      `Der Datenordner ${dataDir} wird bereits ${pid ? `von Prozess ${pid} ` : ''}benutzt. / ` +
        `The data folder ${dataDir} is already in use${pid ? ` by process ${pid}` : ''}. ` +
        'Stop that process first, or start this one with another SCHALTER_DATA_DIR.',
    );
  }
}

/** For people only: which process holds the folder. The lock itself is the socket (Linux) below. */
const INFO_FILE = 'schalter.lock';

/**
 * PGlite lets any number of processes open one data folder and corrupts it when they do, so one
 * process at a time may hold it. On Linux the lock is a listening socket in the abstract namespace,
 * named after the folder's device and inode: the kernel frees it the moment the process dies (also a
 * SIGKILLed process not yet reaped, and of course after a power cut), so an office PC always comes back
 * without anyone deleting files, and a stale pid in a file — pid 1, a pid reused after a reboot — can
 * never keep it from starting. Elsewhere a pid file with a liveness check stands in (development only).
 */
export async function lockDataDir(dataDir: string): Promise<() => void> {
  fs.mkdirSync(dataDir, { recursive: true });
  if (process.platform !== 'linux') return lockWithPidFile(dataDir);
  const { dev, ino } = fs.statSync(dataDir);
  const name = `\0schalter-data-${createHash('sha256').update(`${dev}:${ino}`).digest('hex').slice(0, 32)}`;
  // Whoever connects learns the holder's pid, for the message above.
  const server = net.createServer((socket) => socket.end(String(process.pid)));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(name, () => resolve());
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new DataDirLockedError(dataDir, await holderPid(name));
  }
  // The lock must not keep the event loop alive on its own: a process that is done exits as before.
  server.unref();
  const infoFile = path.join(dataDir, INFO_FILE);
  fs.writeFileSync(infoFile, String(process.pid));
  return () => {
    server.close();
    removeIfOurs(infoFile);
  };
}

function holderPid(name: string): Promise<number | null> {
  return new Promise((resolve) => {
    let text = '';
    const socket = net.connect(name);
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(/^\d+$/.test(text) ? Number(text) : null));
    socket.on('error', () => resolve(null));
  });
}

function removeIfOurs(file: string): void {
  try {
    if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockWithPidFile(dataDir: string): () => void {
  const lockFile = path.join(dataDir, INFO_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => removeIfOurs(lockFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(fs.readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) throw new DataDirLockedError(dataDir, pid);
      fs.unlinkSync(lockFile);
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}
