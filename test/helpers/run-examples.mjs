/**
 * Runs example modules one after another in this one Node process (each imported once, as a user
 * would run it with `node example.mjs`), capturing what each writes, and prints one JSON array of
 * { file, stdout, stderr, error } on the real stdout. Used by test/api-docs.test.ts.
 *
 *   node test/helpers/run-examples.mjs FILE…
 */
import { pathToFileURL } from 'node:url';

const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
const text = (chunk) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
const results = [];
for (const file of process.argv.slice(2)) {
  const out = [];
  const err = [];
  process.stdout.write = (chunk, ...rest) => (out.push(text(chunk)), rest.find((a) => typeof a === 'function')?.(), true);
  process.stderr.write = (chunk, ...rest) => (err.push(text(chunk)), rest.find((a) => typeof a === 'function')?.(), true);
  let error = null;
  try {
    await import(pathToFileURL(file).href);
  } catch (e) {
    error = e?.stack ?? String(e);
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
  results.push({ file, stdout: out.join(''), stderr: err.join(''), error });
}
write.out(`${JSON.stringify(results)}\n`);
