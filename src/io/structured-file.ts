/** Reading a small JSON or YAML document the user wrote (candidates, run manifests). */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { dataError } from '../errors.js';

/** Parses a JSON file, or YAML when the name ends in .yaml/.yml; one-line errors naming the file. */
export function readStructuredFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw dataError(code === 'ENOENT' ? `no such ${what}; check the path` : `cannot read the ${what} (${code ?? String(err)})`, path);
  }
  const yaml = /\.ya?ml$/i.test(path);
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw dataError(`is not valid ${yaml ? 'YAML' : 'JSON'} (${(err as Error).message.split('\n')[0]})`, path);
  }
}
