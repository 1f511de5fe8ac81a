import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = `${ROOT}fixtures/`;

/** What a command line printed and how it ended. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of runCli: text on standard input (then the CLI runs in its own process), extra environment. */
export interface CliOptions {
  input?: string;
  env?: Record<string, string>;
}

/** Runs the built CLI in a process of its own (bin/losscast.js), as a user does. */
export function spawnCli(args: string[], options: CliOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [`${ROOT}bin/losscast.js`, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    input: options.input,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The in-process CLI: one worker thread per test file that has loaded the built CLI once (cli-server.mjs). */
let server: { port: MessagePort; flag: Int32Array } | undefined;

function cliServer(): { port: MessagePort; flag: Int32Array } {
  if (server) return server;
  const { port1, port2 } = new MessageChannel();
  const signal = new SharedArrayBuffer(4);
  const worker = new Worker(new URL('./cli-server.mjs', import.meta.url), { workerData: { port: port2, signal, mainUrl: pathToFileURL(`${ROOT}dist/cli/main.js`).href }, transferList: [port2] });
  worker.unref();
  port1.unref();
  server = { port: port1, flag: new Int32Array(signal) };
  return server;
}

/** Longest a command may run in the in-process CLI before the test is failed. */
const CLI_TIMEOUT_MS = 300_000;

/**
 * Runs the built CLI (`main` of dist/cli/main.js, what bin/losscast.js runs) and returns its exit
 * code, stdout and stderr. It runs in a worker thread that keeps the CLI loaded and warm, so a
 * command costs its own work, not a Node start-up and cold code each time; the test waits for it
 * synchronously. With `input` (standard input) it runs in a process of its own (spawnCli).
 */
export function runCli(args: string[], options: CliOptions = {}): CliResult {
  if (options.input !== undefined) return spawnCli(args, options);
  const { port, flag } = cliServer();
  Atomics.store(flag, 0, 0);
  port.postMessage({ args, env: options.env ?? {} });
  if (Atomics.wait(flag, 0, 0, CLI_TIMEOUT_MS) === 'timed-out') throw new Error(`losscast ${args.join(' ')}: no answer from the in-process CLI after ${CLI_TIMEOUT_MS / 1000} s`);
  const reply = receiveMessageOnPort(port);
  if (!reply) throw new Error(`losscast ${args.join(' ')}: the in-process CLI gave no answer`);
  return reply.message as CliResult;
}
