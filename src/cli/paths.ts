/**
 * File names on the command line, checked before any work: an empty name names no file (a usage
 * error, where it used to write nothing and exit 0), and a file losscast would write (-o, --html)
 * must not be one it reads — `fit log.csv -o log.csv` would replace the user's log with
 * parameters. Inputs are every file named on the command line: operands and option values, the
 * PATH of PATH@SPEC, and `path=` files inside schedule specs; the same file reached by another
 * name (a symlink, a hard link, ./x) is caught by its device and inode.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command, Option } from 'commander';
import { usageError } from '../errors.js';
import { splitLogArgument } from '../schedule/spec.js';

/** Options whose value names a file losscast writes. */
const OUTPUT_OPTIONS = ['output', 'html'] as const;
/** Options whose value names a file (written or read): an empty value is a usage error. */
const FILE_OPTIONS = new Set<string>([...OUTPUT_OPTIONS, 'params', 'candidates', 'prefix', 'fit']);
/** Operands that name files (the schedule command's operand is a spec). */
const FILE_OPERAND = /log|file|manifest/;

/** The flag of an option as the user writes it ("-o", "--html"). */
function flagOf(option: Option): string {
  return option.short ?? option.long ?? option.flags;
}

/** A file's identity (device and inode), or null when it is not an existing regular file. */
function identity(path: string): string | null {
  try {
    const s = statSync(path);
    return s.isFile() ? `${s.dev}:${s.ino}` : null;
  } catch {
    return null;
  }
}

/** The files a command-line value may name: itself, the PATH of PATH@SPEC, and `path=` files of a spec. */
export function namedFiles(value: string): string[] {
  const out = [value, splitLogArgument(value).path];
  for (const m of value.matchAll(/(?:^|[:,@])path=([^,@]+)/g)) out.push(m[1]);
  return [...new Set(out.filter((p) => p !== '' && p !== '-'))];
}

/** Every string value of the command's operands and options (arrays flattened). */
function strings(values: unknown[]): string[] {
  return values.flat(2).filter((v): v is string => typeof v === 'string');
}

/** Throws a usage error for an empty file name or an output that is also an input of `cmd` (as parsed, before its action). */
export function checkFileNames(cmd: Command): void {
  const opts = cmd.opts();
  const operands = cmd.processedArgs;
  cmd.registeredArguments.forEach((argument, i) => {
    if (FILE_OPERAND.test(argument.name()) && strings([operands[i]]).some((v) => v.trim() === '')) throw usageError(`an empty ${argument.name().replace(/s$/, '')} argument names no file; give the file's name`);
  });
  const outputs: { flag: string; path: string }[] = [];
  for (const option of cmd.options) {
    const key = option.attributeName();
    if (!FILE_OPTIONS.has(key)) continue;
    const given = strings([opts[key]]);
    if (given.some((v) => v.trim() === '')) throw usageError(`${flagOf(option)} ${JSON.stringify(given.find((v) => v.trim() === ""))}: an empty name names no file; give the file's name`);
    if ((OUTPUT_OPTIONS as readonly string[]).includes(key)) for (const path of given) outputs.push({ flag: flagOf(option), path });
  }
  if (outputs.length === 0) return;
  for (let i = 0; i < outputs.length; i++) {
    for (let j = 0; j < i; j++) {
      if (resolve(outputs[i].path) === resolve(outputs[j].path)) throw usageError(`${outputs[j].flag} and ${outputs[i].flag} both name ${outputs[i].path}: one would overwrite the other; give two files`);
    }
  }
  const read = Object.entries(opts).filter(([key]) => !(OUTPUT_OPTIONS as readonly string[]).includes(key));
  const inputs = strings([...operands, ...read.map(([, value]) => value)]).flatMap(namedFiles);
  for (const output of outputs) {
    const id = identity(output.path);
    if (id === null) continue; // a new file, or not a regular file: it cannot be an input log
    const input = inputs.find((p) => identity(p) === id);
    if (input !== undefined) throw usageError(`${output.flag} ${output.path} is also an input (${input}): writing it would replace what losscast reads; write to another file`);
  }
}
