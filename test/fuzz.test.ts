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
import { LOG_MUTATIONS } from '../src/fuzz/mutate.js';
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

/** The structural mutations of npm run fuzz (src/fuzz/mutate.ts) that keep a log a log. */
const NAMES = ['truncate', 'deleteLines', 'duplicateLines', 'shuffleLines', 'garbageBytes', 'swapFields', 'emptyValues'] as const;
const MUTATIONS = Object.fromEntries(NAMES.map((n) => [n, LOG_MUTATIONS[n]]));

/** A series is aligned, its steps whole, ≥ 0 and increasing, its values finite (the first point that breaks it is named). */
function checkSeries(s: Series | null): void {
  if (s === null) return;
  expect(s.steps.length).toBe(s.values.length);
  let broken: string | undefined;
  for (let i = 0; i < s.steps.length && broken === undefined; i++) {
    if (!(Number.isInteger(s.steps[i]) && s.steps[i] >= 0)) broken = `point ${i}: step ${s.steps[i]}`;
    else if (!Number.isFinite(s.values[i])) broken = `point ${i}: value ${s.values[i]}`;
    else if (i > 0 && !(s.steps[i] > s.steps[i - 1])) broken = `point ${i}: step ${s.steps[i]} after ${s.steps[i - 1]}`;
  }
  expect(broken).toBeUndefined();
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
