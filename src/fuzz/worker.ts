/**
 * A fuzz worker: a child process (forked by fuzz/run.js) that runs losscast commands in-process
 * one after another, each with its stdout and stderr captured, and reports each outcome with the
 * process's peak memory before and after it (a high-water mark: the case that raises it past a
 * limit is the one that used the memory).
 */
import { main } from '../cli/main.js';

/** What the parent sends: one command line to run. */
export interface FuzzJob {
  id: number;
  argv: string[];
}

/** What the worker answers. */
export interface FuzzOutcome {
  id: number;
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  rssBeforeMB: number;
  rssAfterMB: number;
}

/** Most output kept per stream (the judge needs the JSON; a 100 MB CSV is cut). */
const MAX_CAPTURE = 4 << 20;

async function run(job: FuzzJob): Promise<FuzzOutcome> {
  const out: string[] = [];
  const err: string[] = [];
  let outBytes = 0;
  let errBytes = 0;
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    if (outBytes < MAX_CAPTURE) out.push(String(chunk));
    outBytes += chunk.length;
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    if (errBytes < MAX_CAPTURE) err.push(String(chunk));
    errBytes += chunk.length;
    return true;
  }) as typeof process.stderr.write;
  const rssBeforeMB = process.resourceUsage().maxRSS / 1024;
  const t0 = performance.now();
  let code: number;
  try {
    code = await main(['node', 'losscast', ...job.argv]);
  } catch (e) {
    err.push(`losscast: internal error escaped main: ${e instanceof Error ? e.message : String(e)}\n`);
    code = 70;
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  }
  return { id: job.id, code, stdout: out.join(''), stderr: err.join(''), ms: performance.now() - t0, rssBeforeMB, rssAfterMB: process.resourceUsage().maxRSS / 1024 };
}

process.on('message', (job: FuzzJob) => {
  run(job).then((outcome) => process.send!(outcome));
});
process.on('uncaughtException', (e) => {
  process.send!({ id: -1, code: 70, stdout: '', stderr: `uncaught exception: ${e.message}`, ms: 0, rssBeforeMB: 0, rssAfterMB: 0 });
  process.exit(70);
});
