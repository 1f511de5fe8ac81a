/**
 * Running shell command lines for the fuzz, a few at a time, each in its own process group with
 * a time limit (a hung case and everything it started is killed). What a case printed is kept up
 * to a cap, for the judge.
 */
import { spawn } from 'node:child_process';

/** How one command line ended: its exit status (or a hang), its output, its wall time. */
export interface ShellOutcome {
  code: number | 'hang';
  stdout: string;
  stderr: string;
  ms: number;
}

/** Most output kept per stream. */
const MAX_CAPTURE = 4 << 20;

/** Runs one bash command line with a time limit. */
export function runShell(command: string, cwd: string, timeoutMs: number): Promise<ShellOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn('bash', ['-c', command], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    child.stdout.on('data', (b: Buffer) => (outBytes += b.length) <= MAX_CAPTURE && out.push(b));
    child.stderr.on('data', (b: Buffer) => (errBytes += b.length) <= MAX_CAPTURE && err.push(b));
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ code: hung ? 'hang' : (status ?? 128), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: performance.now() - started });
    });
  });
}

/** Runs `items` through `run` with at most `jobs` at once, calling `onDone` as each ends. */
export async function runLimited<T, R>(items: Iterable<T>, jobs: number, run: (item: T) => Promise<R>, onDone: (item: T, result: R) => void): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const lane = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) onDone(next.value, await run(next.value));
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, lane));
}
