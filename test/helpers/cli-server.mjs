/**
 * The in-process CLI of the tests (see cli.ts): a worker thread that imports the built CLI once and
 * runs each command line it is sent through `main`, the same function bin/losscast.js calls, with
 * stdout and stderr captured, process.argv and the environment set for the command, and the
 * answer handed back through a message port while the test's thread waits on a shared flag.
 */
import { workerData } from 'node:worker_threads';

const { port, signal, mainUrl } = workerData;
const flag = new Int32Array(signal);
const { main } = await import(mainUrl);

const text = (chunk) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
/** A stand-in for stream.write that keeps what is written. */
const capture = (into) => (chunk, ...rest) => {
  into.push(text(chunk));
  const done = rest.find((a) => typeof a === 'function');
  if (done) done();
  return true;
};

function answer(result) {
  port.postMessage(result);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

let current = null; // the capture of the command running now, for errors that escape it
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (error) => answer({ code: 70, stdout: current ? current.out.join('') : '', stderr: `${current ? current.err.join('') : ''}uncaught in the CLI: ${error?.stack ?? error}\n` }));
}

port.on('message', async ({ args, env }) => {
  const out = [];
  const err = [];
  current = { out, err };
  const saved = { stdout: process.stdout.write, stderr: process.stderr.write, argv: process.argv, env: { ...process.env } };
  Object.assign(process.env, { NO_COLOR: '1' }, env);
  process.argv = [process.execPath, 'losscast', ...args];
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  let code;
  try {
    code = await main(['node', 'losscast', ...args]);
  } catch (error) {
    err.push(`losscast: internal error escaped main: ${error?.stack ?? error}\n`);
    code = 70;
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    process.argv = saved.argv;
    for (const key of Object.keys(process.env)) if (!(key in saved.env)) delete process.env[key];
    Object.assign(process.env, saved.env);
    current = null;
  }
  answer({ code, stdout: out.join(''), stderr: err.join('') });
});
