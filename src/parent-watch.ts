import fs from 'node:fs';

// `npm start` runs the server as `sh -c "node … serve"`. A SIGTERM that reaches npm alone (systemd
// with KillMode=process, `kill <npm pid>`, a terminal closed) ends npm and its shell, but the shell
// does not pass the signal on: the server kept running without a parent, holding its port and the
// data folder (issue 23, item 7). `exec` in the script would fix it only where npm's script shell is
// a POSIX shell, not with cmd.exe. So a server started by npm watches npm instead, and stops as on
// SIGTERM once npm or its shell is gone.

const EVERY_MS = 1_000;

/**
 * When this process was started by an npm script (npm sets npm_lifecycle_event), calls `onGone` once
 * its parent (the script shell) or that shell's parent (npm) has ended. Otherwise does nothing: a
 * server started with `nohup … &` from a shell that exits must keep running.
 */
export function stopWithNpm(onGone: (why: string) => void, env: NodeJS.ProcessEnv = process.env): void {
  if (!env.npm_lifecycle_event) return;
  const parent = process.ppid;
  // npm's script shell between npm and us (dash keeps itself; bash as sh execs us, then npm is the parent).
  const grandparent = isShell(parent) ? parentOf(parent) : null;
  const timer = setInterval(() => {
    const gone = process.ppid !== parent || !isAlive(parent) || (grandparent !== null && !isAlive(grandparent));
    if (!gone) return;
    clearInterval(timer);
    onGone('npm ended');
  }, EVERY_MS);
  timer.unref();
}

/** The parent of `pid` where /proc tells it (Linux); null elsewhere. */
function parentOf(pid: number): number | null {
  try {
    // Field 4 of /proc/<pid>/stat, after the command in parentheses (which may itself hold spaces).
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) && ppid > 1 ? ppid : null;
  } catch {
    return null;
  }
}

function isShell(pid: number): boolean {
  try {
    return /^(sh|dash|bash|ash|ksh|zsh|busybox)$/.test(fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, only not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
