/**
 * A new user's first hour (issue 23, item 12): --total fills the total of a spec given without
 * one, the tie rule is described as it is, and the README's examples work in the order written
 * (every file an example reads is made by an earlier step; the name check --expect-best is given
 * is one the compare before it prints).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runCli } from './helpers/cli.js';
import { expandSweep, nameCandidates } from '../src/predict/candidates.js';
import { withTotal } from '../src/schedule/spec.js';

const dir = mkdtempSync(join(tmpdir(), 'losscast-first-hour-'));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const LOG = `${FIXTURES}mpl-400M/cosine_24000.csv@cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5`;
/** The shell lines of the README's code blocks, continuation lines joined. */
const readmeCommands = [...README.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].flatMap((m) => m[1].replace(/\\\n\s*/g, '').split('\n')).map((l) => l.replace(/^\$ /, '').trim());

describe('12. --total fills the total of a spec given without one', () => {
  it('withTotal adds total=N only where a spec has none (never to file: specs)', () => {
    expect(withTotal('wsd:peak=3e-4,warmup=2160,decay=0.2', 24000)).toBe('wsd:peak=3e-4,warmup=2160,decay=0.2,total=24000');
    expect(withTotal('cosine', 100)).toBe('cosine:total=100');
    expect(withTotal('wsd:peak=3e-4,total=5000,decay=0.2', 24000)).toBe('wsd:peak=3e-4,total=5000,decay=0.2');
    expect(withTotal('file:path=lr.csv', 24000)).toBe('file:path=lr.csv');
    expect(withTotal('wsd:peak=3e-4', undefined)).toBe('wsd:peak=3e-4');
  });

  it('schedule, predict, compare (--schedule and --sweep) and optimize --baseline take it', () => {
    const spec = 'wsd:peak=3e-4,warmup=2160,decay=0.2';
    const schedule = JSON.parse(runCli(['schedule', spec, '--total', '24000', '--json']).stdout);
    expect(schedule.total).toBe(24000);
    const params = join(dir, 'params.json');
    expect(runCli(['fit', LOG, '--samples', '0', '-o', params, '--json']).code).toBe(0);
    const filled = JSON.parse(runCli(['predict', '--params', params, '--schedule', spec, '--total', '24000', '--json']).stdout);
    const written = JSON.parse(runCli(['predict', '--params', params, '--schedule', `${spec},total=24000`, '--json']).stdout);
    expect(filled.total).toBe(24000);
    expect(filled.finalLoss).toBe(written.finalLoss);
    const compared = JSON.parse(runCli(['compare', '--params', params, '--schedule', spec, '--sweep', 'cosine:peak=3e-4,warmup=2160,final=0..3e-5/3e-5', '--total', '24000', '--json']).stdout);
    expect(compared.ranking.map((r: { total: number }) => r.total)).toEqual([24000, 24000, 24000]);
    const optimized = runCli(['optimize', '--params', params, '--family', 'cosine', '--total', '24000', '--baseline', 'wsd:peak=3e-4,warmup=2160,decay=0.2', '--json']);
    expect(JSON.parse(optimized.stdout).baseline.schedule).toBe('wsd:peak=3e-4,warmup=2160,decay=0.2,total=24000');
  });
});

describe('12. the tie rule is described as it is', () => {
  it('compare --help and docs/schedules.md: the paired interval with a bootstrap, the RMSE without, --tolerance instead of either', () => {
    const help = runCli(['compare', '--help']).stdout.replace(/\s+/g, ' ');
    const doc = readFileSync(join(ROOT, 'docs', 'schedules.md'), 'utf8').replace(/\s+/g, ' ');
    for (const text of [help, doc]) {
      expect(text).toMatch(/interval of (its|the) paired difference to the best/);
      expect(text).toMatch(/without (one|a bootstrap) \(`?--samples 0`?\)/i);
      expect(text).not.toMatch(/default: the fit'?s? RMSE/);
    }
  });
});

describe('12. the README examples work in the order written', () => {
  it('every --params FILE and compare result an example reads is written by an earlier example', () => {
    const made = new Set<string>();
    for (const line of readmeCommands) {
      for (const m of line.matchAll(/--params (\S+)/g)) if (m[1] !== 'FILE') expect(made, `"${line}" reads ${m[1]}`).toContain(m[1]);
      const expectBest = /--expect-best (?:"[^"]+"|\S+) (\S+)/.exec(line);
      if (expectBest) expect(made, `"${line}" reads ${expectBest[1]}`).toContain(expectBest[1]);
      for (const m of line.matchAll(/(?:-o|>) (\S+\.json)/g)) made.add(m[1]);
    }
  });

  it('the README compare → check --expect-best pair: the name checked is one the compare prints', () => {
    const compare = readmeCommands.find((l) => l.startsWith('losscast compare --params params.json') && l.includes('> ranking.json'))!;
    const check = readmeCommands.find((l) => l.includes('--expect-best'))!;
    const params = join(dir, 'readme-params.json');
    expect(runCli(['fit', LOG, `${FIXTURES}mpl-400M/constant_24000.csv@constant:peak=3e-4,warmup=2160,total=24000`, '--samples', '0', '-o', params, '--json']).code).toBe(0);
    const specs = [...compare.matchAll(/--schedule "([^"]+)"/g)].map((m) => m[1]);
    const ranking = join(dir, 'ranking.json');
    const r = runCli(['compare', '--params', params, ...specs.flatMap((s) => ['--schedule', s]), '--json']);
    expect(r.code).toBe(0);
    writeFileSync(ranking, r.stdout);
    const name = /--expect-best (?:"([^"]+)"|(\S+))/.exec(check)!;
    const names = JSON.parse(r.stdout).ranking.map((x: { name: string }) => x.name);
    expect(names).toContain(name[1] ?? name[2]);
    expect([0, 3]).toContain(runCli(['check', '--expect-best', name[1] ?? name[2], ranking]).code);
  });

  it('check --help: its --expect-best example names a schedule its compare example makes', () => {
    const help = runCli(['check', '--help']).stdout;
    const sweep = /--sweep "([^"]+)"/.exec(help)![1];
    const expected = /--expect-best "([^"]+)"/.exec(help)![1];
    expect(nameCandidates(expandSweep(sweep)).map((c) => c.name)).toContain(expected);
  });
});
