/**
 * Fuzz: every real log, mutated many times (truncated, lines deleted or duplicated, garbage
 * bytes, fields swapped), must end in a clean Curve (sorted, finite) or a LosscastError:
 * never another exception, never a hang.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LosscastError } from '../src/errors.js';
import { prepareRun } from '../src/io/prepare-run.js';
import type { Series } from '../src/core/curve.js';
import { readLog } from '../src/io/read-log.js';
import { FIXTURES } from './helpers/cli.js';
import { mulberry32 } from './helpers/random.js';
import { scalarEvent, tfrecordFile, versionEvent } from './helpers/tfevents.js';

const MUTATIONS_PER_FILE = 40;
const dir = mkdtempSync(join(tmpdir(), 'losscast-fuzz-'));

function realLogs(): { name: string; bytes: Buffer }[] {
  const root = `${FIXTURES}real-logs/`;
  const out: { name: string; bytes: Buffer }[] = [];
  for (const folder of readdirSync(root, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const f of readdirSync(join(root, folder.name))) out.push({ name: `${folder.name}/${f}`, bytes: readFileSync(join(root, folder.name, f)) });
  }
  const tb = [versionEvent(), ...Array.from({ length: 50 }, (_, i) => scalarEvent(i + 1, 'train/loss', 4 - i / 50))];
  out.push({ name: 'synthetic/events.out.tfevents.1.host', bytes: tfrecordFile(tb) });
  return out;
}

type Mutation = (bytes: Buffer, rand: () => number) => Buffer;

const pick = (rand: () => number, n: number) => Math.floor(rand() * n);

function mapLines(bytes: Buffer, f: (lines: string[]) => string[]): Buffer {
  return Buffer.from(f(bytes.toString('latin1').split('\n')).join('\n'), 'latin1');
}

const MUTATIONS: Record<string, Mutation> = {
  truncate: (b, r) => b.subarray(0, pick(r, b.length)),
  deleteLines: (b, r) => mapLines(b, (lines) => lines.filter(() => r() > 0.1)),
  duplicateLines: (b, r) => mapLines(b, (lines) => lines.flatMap((l) => (r() < 0.1 ? [l, l] : [l]))),
  shuffleSomeLines: (b, r) =>
    mapLines(b, (lines) => {
      const out = [...lines];
      for (let k = 0; k < 5; k++) {
        const i = pick(r, out.length);
        const j = pick(r, out.length);
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
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
        if (parts.length < 2) return l;
        const i = pick(r, parts.length);
        const j = pick(r, parts.length);
        [parts[i], parts[j]] = [parts[j], parts[i]];
        return parts.join(sep);
      }),
    ),
  emptyValues: (b, r) => mapLines(b, (lines) => lines.map((l) => (r() < 0.05 ? l.replace(/\d+\.\d+/, r() < 0.5 ? 'nan' : '') : l))),
};

function checkSeries(s: Series | null): void {
  if (s === null) return;
  expect(s.steps.length).toBe(s.values.length);
  for (let i = 0; i < s.steps.length; i++) {
    expect(Number.isInteger(s.steps[i]) && s.steps[i] >= 0).toBe(true);
    expect(Number.isFinite(s.values[i])).toBe(true);
    if (i > 0) expect(s.steps[i]).toBeGreaterThan(s.steps[i - 1]);
  }
}

describe('fuzzed real logs end in a curve or a clear error', () => {
  const rand = mulberry32(20261127);
  for (const log of realLogs()) {
    it(log.name, async () => {
      const base = log.name.split('/').pop()!;
      let curves = 0;
      let errors = 0;
      for (let k = 0; k < MUTATIONS_PER_FILE; k++) {
        const names = Object.keys(MUTATIONS);
        const name = names[k % names.length];
        const mutated = MUTATIONS[name](log.bytes, rand);
        const path = join(dir, `${k}-${base}`);
        writeFileSync(path, mutated);
        try {
          const options = base.includes('chart-export') ? { run: 'gpt2' } : {};
          const curve = await readLog(path, options);
          checkSeries(curve.train);
          checkSeries(curve.eval);
          checkSeries(curve.lr);
          try {
            prepareRun({ curve });
          } catch (err) {
            if (!(err instanceof LosscastError)) throw err;
          }
          curves++;
        } catch (err) {
          if (!(err instanceof LosscastError)) throw new Error(`${name} mutation of ${log.name} threw ${(err as Error).stack}`);
          expect(err.message.split('\n')).toHaveLength(1);
          expect(err.message).toContain(path);
          errors++;
        }
      }
      expect(curves + errors).toBe(MUTATIONS_PER_FILE);
    });
  }
});
