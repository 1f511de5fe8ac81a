/** Where a worker thread's compiled script is: worker threads run compiled JavaScript, so from TypeScript sources (the unit tests) there is none and the work stays in this thread. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The compiled script `name` beside the module at `base` (its import.meta.url), or undefined when it is not there. */
export function compiledWorker(name: string, base: string): URL | undefined {
  const url = new URL(name, base);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}
