import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readLog } from '../src/io/read-log.js';
import { prepareRun, rebuildLrProfile } from '../src/io/prepare-run.js';
import { profileValues } from './helpers/profile.js';
import { FIXTURES } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'losscast-io-'));
function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('CSV/TSV logs', () => {
  it('reads the real MPL CSV: 171 rows, first and last values as in the file', async () => {
    const curve = await readLog(`${FIXTURES}mpl-400M/cosine_24000.csv`);
    expect(curve.format).toBe('csv');
    expect(curve.train!.steps.length).toBe(171);
    expect([curve.train!.steps[0], curve.train!.values[0], curve.lr!.values[0]]).toEqual([2160, 3.5563, 0.0003]);
    expect(curve.train!.steps.at(-1)).toBe(23920);
    expect(curve.columns).toEqual({ step: 'step', train: 'loss', lr: 'lr' });
  });

  it('finds columns by alias, sorts rows, keeps the last of a repeated step, skips and counts NaN/inf/empty', async () => {
    const path = file('a.csv', 'global_step,train/loss,learning_rate\n3,2.9,1e-3\n1,3.5,1e-3\n2,3.1,1e-3\n2,3.0,1e-3\n4,nan,1e-3\n5,inf,1e-3\n6,,1e-3\n7,2.5,1e-3\n');
    const curve = await readLog(path);
    expect(curve.train).toEqual({ steps: [1, 2, 3, 7], values: [3.5, 3.0, 2.9, 2.5] });
    expect(curve.skipped).toEqual([{ reason: 'loss is NaN or infinite', count: 2, firstLine: 6 }]);
    expect(curve.warnings.join(' ')).toMatch(/repeated step/);
  });

  it('reads TSV, honours explicit columns, and a gzip-compressed file', async () => {
    const text = 'it\tmy_loss\tmy_lr\n1\t3\t0.1\n2\t2.5\t0.1\n';
    const curve = await readLog(file('b.tsv', text), { columns: { step: 'it', train: 'my_loss', lr: 'my_lr' } });
    expect(curve.format).toBe('tsv');
    expect(curve.train!.values).toEqual([3, 2.5]);
    const gz = await readLog(file('b.tsv.gz', gzipSync(text)), { columns: { train: 'my_loss', lr: 'my_lr' } });
    expect(gz.train).toEqual(curve.train);
  });

  it('tolerates an incomplete last line (a log still being written) but not a broken middle line', async () => {
    const ok = await readLog(file('c.csv', 'step,loss\n1,3\n2,2.9\n3'));
    expect(ok.train!.steps).toEqual([1, 2]);
    expect(ok.warnings.join(' ')).toMatch(/last line 4 is incomplete/);
    await expect(readLog(file('d.csv', 'step,loss\n1,3\n2\n3,2.8\n'))).rejects.toThrow(/d\.csv:3: row has 1 fields/);
  });

  it('reads quoted fields (a delimiter or a newline inside quotes) and names the file line of what follows', async () => {
    const text = 'step,"run, loss",note,lr\n1,3.5,"plain",1e-3\n2,"3.25","a, b",1e-3\n3,3.0,"two\nlines",1e-3\n4,2.75,"say ""hi""",1e-3\n5,2.5\n6,2.4,x,1e-3\n';
    await expect(readLog(file('q.csv', text), { columns: { train: 'run, loss' } })).rejects.toThrow(/q\.csv:7: row has 2 fields/); // physical line 7, after the two-line record
    const curve = await readLog(file('q2.csv', text.replace('5,2.5\n6,2.4,x,1e-3\n', '5,2.5,x,1e-3\n')), { columns: { train: 'run, loss' } });
    expect(curve.train).toEqual({ steps: [1, 2, 3, 4, 5], values: [3.5, 3.25, 3.0, 2.75, 2.5] });
  });

  it('an unclosed quote is an error naming its line, unless it is on the last line (a log still being written)', async () => {
    await expect(readLog(file('u.csv', 'step,loss\n1,3\n2,"2.9\n3,2.8\n4,2.7\n'))).rejects.toThrow(/u\.csv:3: a quoted field opened here is never closed/);
    const tail = await readLog(file('u2.csv', 'step,loss\n1,3\n2,2.9\n3,"2.8'));
    expect(tail.train!.steps).toEqual([1, 2]);
    expect(tail.warnings.join(' ')).toMatch(/last line 4 is incomplete/);
  });

  it('reads quotes as papaparse does: only a quote that opens a field quotes it (found by a differential test against the papaparse reader)', async () => {
    // a quote inside a field is text, in a column nobody reads or in the loss itself
    const inch = await readLog(file('m1.csv', 'step,loss,note\n1,3.0,x\n2,2.9,12" screen\n3,2.8,x\n'));
    expect(inch.train!.steps).toEqual([1, 2, 3]);
    await expect(readLog(file('m2.csv', 'step,loss\n1,3.0\n2,ab"c\n3,2.8\n'))).rejects.toThrow(/m2\.csv:3: loss \(loss\) value "ab\\"c" is not a number/);
    // two such lines do not join the rows between them
    expect((await readLog(file('m3.csv', 'step,loss,note\n1,3.0,a"b\n2,2.9,x\n3,2.8,c"d\n4,2.7,x\n'))).train!.steps).toEqual([1, 2, 3, 4]);
    // a row cut short before an open last line is still the error it was
    await expect(readLog(file('m4.csv', 'step,loss\n1,3.0\n2,2.9,9\n3,"2.8\n'))).rejects.toThrow(/m4\.csv:3: row has 3 fields/);
    // blank lines after an open last line do not make it a swallowed middle
    const blank = await readLog(file('m5.csv', 'step,loss\n1,3.0\n2,"2.8\n\n'));
    expect(blank.train!.steps).toEqual([1]);
    expect(blank.warnings.join(' ')).toMatch(/last line 3 is incomplete/);
    // spaces between a closing quote and the delimiter or the line end still close it (found by review)
    expect((await readLog(file('m7.csv', 'step,loss,n\n1,2.5,"a"\t\n2,2.4,b\n3,2.3,"c" ,\n4,2.2,d\n'.replace(',\n4', '\n4')))).train!.steps).toEqual([1, 2, 3, 4]);
    // a repeated header with spaces is still a repeated header
    expect((await readLog(file('m8.csv', 'step,loss\n1,3\n step, loss\n2,2.9\n'))).skipped).toEqual([{ reason: 'repeated header row', count: 1, firstLine: 3 }]);
    // one column named for two roles fills both
    const both = await readLog(file('m6.csv', 'step,loss,lr\n1,3.0,1e-3\n2,2.5,1e-3\n'), { columns: { train: 'loss', lr: 'loss' } });
    expect(both.lr!.values).toEqual([3.0, 2.5]);
  });
});

describe('JSON logs', () => {
  it('reads JSON lines with bare NaN tokens and per-line key sets', async () => {
    const path = file('e.jsonl', '{"step": 1, "loss": 3.0, "lr": 1e-3}\n{"step": 2, "loss": NaN, "lr": 1e-3}\n{"step": 2, "eval_loss": 3.2}\n{"step": 3, "loss": 2.8, "lr": 1e-3}\n');
    const curve = await readLog(path);
    expect(curve.format).toBe('jsonl');
    expect(curve.train).toEqual({ steps: [1, 3], values: [3.0, 2.8] });
    expect(curve.eval).toEqual({ steps: [2], values: [3.2] });
    expect(curve.skipped[0]).toMatchObject({ count: 1, firstLine: 2 });
  });

  it('reads a JSON array of records and nested keys', async () => {
    const curve = await readLog(file('f.json', JSON.stringify([{ step: 1, train: { loss: 3 } }, { step: 2, train: { loss: 2.5 } }])));
    expect(curve.format).toBe('json');
    expect(curve.train).toEqual({ steps: [1, 2], values: [3, 2.5] });
    expect(curve.columns.train).toBe('train/loss');
  });
});

describe('per-step LR', () => {
  it('rebuilds sparse LR linearly, ramping from 0 before the first logged step when the LR rises', () => {
    expect(profileValues(rebuildLrProfile({ steps: [4, 8, 12], values: [2, 4, 4] }, 14))).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4, 4, 4, 4, 4]);
  });

  it('continues a falling first trend back to step 0 instead of inventing a warmup', () => {
    expect(profileValues(rebuildLrProfile({ steps: [4, 8], values: [4, 2] }, 10))).toEqual([6, 5.5, 5, 4.5, 4, 3.5, 3, 2.5, 2, 2]);
  });

  it('says which LR source it used', async () => {
    const dense = await readLog(file('g.csv', `step,loss,lr\n${Array.from({ length: 20 }, (_, i) => `${i + 1},${3 - i * 0.01},1e-3`).join('\n')}\n`));
    expect(prepareRun({ curve: dense }).lrSource).toBe('logged');
    const sparse = await readLog(`${FIXTURES}mpl-400M/cosine_24000.csv`);
    const run = prepareRun({ curve: sparse });
    expect(run.lrSource).toBe('logged-interpolated');
    expect(run.warnings.map((w) => w.code)).toEqual(['lr-interpolated', 'lr-assumed-warmup']);
  });

  it('asks for a schedule when the log has no LR', async () => {
    const curve = await readLog(file('h.csv', 'step,loss\n1,3\n2,2.9\n'));
    expect(() => prepareRun({ curve })).toThrow(/h\.csv: has no learning-rate column; give the schedule with --schedule/);
  });
});
