/**
 * Mutations for the fuzz run: what a corrupt, hostile or merely unusual input looks like. Logs
 * are mutated byte-wise (truncation, garbage, huge numbers, kilometre-long lines, other
 * encodings, gzip damage, binary headers, terminal escapes); schedule specs and params files
 * are generated from a pool of extreme values. Every function is seeded: the same seed gives
 * the same input.
 */
import { gzipSync } from 'node:zlib';

/** A seeded generator in [0, 1). */
export type Random = () => number;

/** A whole number in [0, n). */
export const pick = (random: Random, n: number): number => Math.floor(random() * n);

/** One element of a list. */
export const oneOf = <T>(random: Random, items: readonly T[]): T => items[pick(random, items.length)];

function mapLines(bytes: Buffer, f: (lines: string[]) => string[]): Buffer {
  return Buffer.from(f(bytes.toString('latin1').split('\n')).join('\n'), 'latin1');
}

/** Numbers no log should hold, but some do: steps past 2³², losses of 1e308, negative zero, … */
export const EXTREME_NUMBERS = ['1e8', '5e8', '4294967296', '1e15', '9007199254740993', '1e300', '1e308', '-1', '-0', '0', '1e-300', '5e-324', 'NaN', 'inf', '-inf', 'Infinity', 'null', '0x10', '1_000', '١٢٣', ''];

/** Terminal control sequences: a title change, a screen clear, a bell, a carriage return, NUL. */
const ESCAPES = ['\x1b]0;pwned\x07', '\x1b[2J', '\x1b[31m', '\x07', '\r', '\x00', '\x9b31m', '\u202e'];

/** Replaces one number on a random line with an extreme one. */
function extremeNumber(bytes: Buffer, random: Random): Buffer {
  return mapLines(bytes, (lines) => {
    for (let k = 0; k < 1 + pick(random, 3); k++) {
      const i = pick(random, lines.length);
      let seen = 0;
      const target = pick(random, 4);
      lines[i] = lines[i].replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/gi, (m) => (seen++ === target ? oneOf(random, EXTREME_NUMBERS) : m));
    }
    return lines;
  });
}

/** A line of `length` characters: digits, commas, a JSON string or random letters. */
function longLine(random: Random, length: number): string {
  const kind = pick(random, 4);
  if (kind === 0) return '1'.repeat(length);
  if (kind === 1) return ','.repeat(length);
  if (kind === 2) return `{"step": 5, "loss": 2.5, "note": "${'x'.repeat(length)}"}`;
  return Array.from({ length: Math.min(length, 1 << 16) }, () => String.fromCharCode(97 + pick(random, 26))).join('').repeat(Math.ceil(length / (1 << 16))).slice(0, length);
}

function toUtf16(text: string, bigEndian: boolean, bom: boolean): Buffer {
  const le = Buffer.from((bom ? '\ufeff' : '') + text, 'utf16le');
  if (!bigEndian) return le;
  const be = Buffer.from(le);
  for (let i = 0; i + 1 < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1], be[i]];
  return be;
}

/** Mutations of a log file, by name. */
export const LOG_MUTATIONS: Record<string, (bytes: Buffer, random: Random) => Buffer> = {
  truncate: (b, r) => b.subarray(0, pick(r, b.length + 1)),
  deleteLines: (b, r) => mapLines(b, (lines) => lines.filter(() => r() > 0.1)),
  duplicateLines: (b, r) => mapLines(b, (lines) => lines.flatMap((l) => (r() < 0.1 ? [l, l] : [l]))),
  shuffleLines: (b, r) =>
    mapLines(b, (lines) => {
      for (let k = 0; k < 5; k++) {
        const i = pick(r, lines.length);
        const j = pick(r, lines.length);
        [lines[i], lines[j]] = [lines[j], lines[i]];
      }
      return lines;
    }),
  garbageBytes: (b, r) => {
    const out = Buffer.from(b);
    for (let k = 0; k < 1 + pick(r, 20); k++) out[pick(r, out.length)] = pick(r, 256);
    return out;
  },
  swapFields: (b, r) =>
    mapLines(b, (lines) =>
      lines.map((l) => {
        if (r() > 0.3) return l;
        const sep = l.includes(',') ? ',' : l.includes('|') ? '|' : ' ';
        const parts = l.split(sep);
        const i = pick(r, parts.length);
        const j = pick(r, parts.length);
        [parts[i], parts[j]] = [parts[j], parts[i]];
        return parts.join(sep);
      }),
    ),
  emptyValues: (b, r) => mapLines(b, (lines) => lines.map((l) => (r() < 0.05 ? l.replace(/\d+\.\d+/, r() < 0.5 ? 'nan' : '') : l))),
  extremeNumber,
  hugeStepEverywhere: (b, r) => {
    const huge = oneOf(r, ['1e8', '5e8', '4294967296', '1e15', '1e300']);
    return mapLines(b, (lines) => lines.map((l, i) => (i === lines.length - 2 || r() < 0.01 ? l.replace(/\d+/, huge) : l)));
  },
  longLine: (b, r) =>
    mapLines(b, (lines) => {
      const length = oneOf(r, [2_000, 1 << 20, 3 << 20, 15 << 20]);
      lines.splice(pick(r, lines.length + 1), 0, longLine(r, length));
      return lines;
    }),
  utf16: (b, r) => toUtf16(b.toString('utf8'), r() < 0.5, r() < 0.8),
  utf8Bom: (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]),
  latin1Bytes: (b, r) => {
    const out = Buffer.from(b);
    for (let k = 0; k < 1 + pick(r, 10); k++) out[pick(r, out.length)] = 0x80 + pick(r, 128);
    return out;
  },
  gzip: (b) => gzipSync(b),
  gzipTruncated: (b, r) => {
    const z = gzipSync(b);
    return z.subarray(0, Math.max(1, pick(r, z.length)));
  },
  gzipTrailingGarbage: (b, r) => Buffer.concat([gzipSync(b), Buffer.from(Array.from({ length: 1 + pick(r, 64) }, () => pick(r, 256)))]),
  gzipCorrupt: (b, r) => {
    const z = Buffer.from(gzipSync(b));
    for (let k = 0; k < 3; k++) z[10 + pick(r, Math.max(1, z.length - 10))] = pick(r, 256);
    return z;
  },
  binaryHeader: (b, r) => Buffer.concat([Buffer.from(oneOf(r, [[0x50, 0x4b, 0x03, 0x04], [0x80, 0x02, 0x7d, 0x71], [0x00, 0x00, 0x00, 0x00], [0x93, 0x4e, 0x55, 0x4d], [0x89, 0x48, 0x44, 0x46]])), b]),
  randomBinary: (_b, r) => Buffer.from(Array.from({ length: pick(r, 4096) }, () => pick(r, 256))),
  escapes: (b, r) =>
    mapLines(b, (lines) => {
      for (let k = 0; k < 1 + pick(r, 5); k++) {
        const i = pick(r, lines.length);
        const at = pick(r, lines[i].length + 1);
        lines[i] = lines[i].slice(0, at) + oneOf(r, ESCAPES) + lines[i].slice(at);
      }
      return lines;
    }),
  empty: () => Buffer.alloc(0),
  headerOnly: (b) => Buffer.from(`${b.toString('latin1').split('\n')[0]}\n`, 'latin1'),
  whitespace: () => Buffer.from('  \n\t\n\r\n   '),
  crlf: (b) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'),
  crOnly: (b) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r'), 'latin1'),
  wrapJson: (b, r) => Buffer.concat([Buffer.from(r() < 0.5 ? '[' : '{"log_history": '), b, Buffer.from(r() < 0.5 ? ']' : '}')]),
  manyRows: (b, r) =>
    mapLines(b, (lines) => {
      const short = lines.slice(1).filter((l) => l.length < 10_000);
      return short.length > 0 ? [...lines, ...Array.from({ length: 20_000 }, () => oneOf(r, short))] : lines;
    }),
};

/** Largest mutated log (a few long lines): bigger inputs belong to the benchmarks. */
const MAX_MUTATED_BYTES = 48 << 20;

/** Applies one to three random mutations; returns the bytes and the mutation names. */
export function mutateLog(bytes: Buffer, random: Random): { bytes: Buffer; names: string[] } {
  const names: string[] = [];
  let out = bytes;
  const count = random() < 0.7 ? 1 : 2 + pick(random, 2);
  const all = Object.keys(LOG_MUTATIONS);
  for (let k = 0; k < count; k++) {
    const name = oneOf(random, all);
    names.push(name);
    out = LOG_MUTATIONS[name](out, random);
    if (out.length > MAX_MUTATED_BYTES) out = out.subarray(0, MAX_MUTATED_BYTES);
  }
  return { bytes: out, names };
}

/** Values tried for a schedule key: sensible ones, extremes, and junk. */
const SPEC_VALUES = ['3e-4', '1e-3', '0', '-1', '1', '2160', '24000', '0.2', '0.5', '1e9', '1e12', '4294967296', '1e308', '1e-300', 'NaN', 'inf', '', 'abc', '1..5/1', '0.1..0.9/0.1', '1-sqrt', 'cosine', 'linear', '3e-5', '[1,2]', '1e-310', '999999999', '2', '100'];

/** A random schedule spec: a family (or junk), a few keys (known or not) with values from the pool. */
export function randomSpec(random: Random, families: readonly { name: string; keys: readonly { key: string }[] }[], extraFiles: readonly string[]): string {
  if (random() < 0.05) return oneOf(random, ['', ':', 'cosine', 'cosine:', 'cosine:peak', 'cosine:peak=', '::::', 'nope:peak=1', 'cosine:peak=3e-4,peak=3e-4', 'wsd:peak=3e-4;total=100', '\x1b]0;x\x07:peak=1']);
  if (random() < 0.5) return plausibleSpec(random);
  const family = oneOf(random, families);
  const keys = ['peak', 'warmup', 'total', ...family.keys.map((k) => k.key), 'bogus'];
  const parts: string[] = [];
  if (random() < 0.9) parts.push(`peak=${random() < 0.8 ? '3e-4' : oneOf(random, SPEC_VALUES)}`);
  if (random() < 0.9) parts.push(`total=${random() < 0.6 ? oneOf(random, ['1000', '24000', '100000']) : oneOf(random, SPEC_VALUES)}`);
  for (let k = 0; k < pick(random, 4); k++) {
    const key = oneOf(random, keys);
    if (key === 'path') parts.push(`path=${oneOf(random, extraFiles)}`);
    else parts.push(`${key}=${oneOf(random, SPEC_VALUES)}`);
  }
  return `${family.name}:${parts.join(',')}`;
}

/** A spec that parses, with one value pushed to an extreme: peak LRs far from the fitted one, tiny warmups, huge totals. */
function plausibleSpec(random: Random): string {
  const peak = oneOf(random, ['3e-4', '3e-4', '1e-4', '1e-3', '3e-3', '1e-2', '3e-2', '1', '1e3', '1e308', '1e-12', '5e-324']);
  const total = oneOf(random, ['24000', '24000', '100', '2', '1', '100000', '10000000', '1000000000']);
  const warmup = oneOf(random, ['0', '1', '2', '100', '2160', total]);
  const shape = oneOf(random, ['cosine:final=3e-5', 'cosine:final=0', 'wsd:decay=0.2', 'wsd:decay=1,shape=1-sqrt', 'wsd:decay=0.01,shape=exponential,final=1e-9', 'constant:', 'linear:final=0', 'step811:', 'invsqrt:', 'twostage:switch=2,second=1e-9', 'onecycle:', 'rex:', 'poly:power=9', 'exp:gamma=0.5', 'sgdr:cycle=10']);
  const [family, keys] = shape.split(':');
  return `${family}:peak=${peak},total=${total}${family === 'onecycle' ? '' : `,warmup=${warmup}`}${keys ? `,${keys}` : ''}`;
}

/** Values a params file field may be mutated to. */
const PARAM_VALUES: unknown[] = [-1, 0, 1e308, -1e-9, 1.5, 2, 1e-300, null, 'abc', '1', true, [], {}, [null], { x: 1 }, Number.MAX_SAFE_INTEGER, 0.999, 1];

/** Every path (list of keys) to a value in a JSON document, depth-first. */
function paths(doc: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(doc)) doc.slice(0, 20).forEach((v, i) => paths(v, [...prefix, i], out));
  else if (doc && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) paths(v, [...prefix, k], out);
  return out;
}

/** A mutated params file: fields set to extreme or wrong-typed values, removed, or the text itself damaged. */
export function mutateParams(text: string, random: Random): { bytes: Buffer; names: string[] } {
  const kind = pick(random, 10);
  if (kind === 0) return { bytes: Buffer.from(text.slice(0, pick(random, text.length))), names: ['truncate'] };
  if (kind === 1) return { bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), names: ['utf8Bom'] };
  if (kind === 2) return { bytes: oneOf(random, [Buffer.alloc(0), Buffer.alloc(20 << 20), Buffer.from('[]'), Buffer.from('null'), Buffer.from('{"runs": [null]}'), gzipSync(text)]), names: ['replaced'] };
  const doc = JSON.parse(text) as Record<string, unknown>;
  const names: string[] = [];
  for (let k = 0; k < 1 + pick(random, 3); k++) {
    const all = paths(doc).filter((p) => p.length > 0);
    const path = oneOf(random, all);
    let parent: Record<string | number, unknown> = doc;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = path[path.length - 1];
    if (random() < 0.25 && !Array.isArray(parent)) {
      delete parent[last];
      names.push(`delete ${path.join('.')}`);
    } else {
      parent[last] = oneOf(random, PARAM_VALUES);
      names.push(`set ${path.join('.')}`);
    }
  }
  return { bytes: Buffer.from(JSON.stringify(doc)), names };
}
