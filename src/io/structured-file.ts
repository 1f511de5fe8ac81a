/** Reading a small JSON or YAML document the user wrote (candidates, run manifests). */
import { parse as parseYaml } from 'yaml';
import { readSmallFile } from '../text/small-file.js';
import { dataError } from '../errors.js';
import { checkDepth, tooDeepError } from './json-depth.js';

/** Parses a JSON file, or YAML when the name ends in .yaml/.yml; one-line errors naming the file. */
export function readStructuredFile(path: string, what: string): unknown {
  const text = readSmallFile(path, what);
  const yaml = /\.ya?ml$/i.test(path);
  let doc: unknown;
  try {
    doc = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    // the YAML parser recurses: a document nested thousands deep overflows its stack
    if (err instanceof RangeError || /call stack/i.test((err as Error).message)) throw tooDeepError(what, path);
    throw dataError(`is not valid ${yaml ? 'YAML' : 'JSON'} (${(err as Error).message.split('\n')[0]})`, path);
  }
  return checkDepth(doc, what, path);
}
