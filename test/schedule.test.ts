import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../src/schedule/schedule.js';
import { splitLogArgument } from '../src/schedule/spec.js';
import { expandSweep, nameCandidates } from '../src/predict/candidates.js';

/** LR of `spec` at step t. */
const lr = (spec: string, t: number) => parseSchedule(spec).lrAt(t);

// Expected values are worked out by hand from each family's source formula (see families.ts).
describe('schedule families', () => {
  it('constant, with linear warmup from 0 (HF: t/W)', () => {
    const s = 'constant:peak=1e-3,warmup=10,total=100';
    expect([lr(s, 0), lr(s, 5), lr(s, 10), lr(s, 99)]).toEqual([0, 5e-4, 1e-3, 1e-3]);
  });
  it('cosine to final; warmup; cycle longer than total ends above final', () => {
    expect(lr('cosine:peak=1,total=100,final=0.1', 0)).toBeCloseTo(1, 12);
    expect(lr('cosine:peak=1,total=100,final=0.1', 50)).toBeCloseTo(0.55, 12);
    expect(lr('cosine:peak=1,total=100,final=0.1', 100)).toBeCloseTo(0.1, 12);
    expect(lr('cosine:peak=1,warmup=20,total=100,final=0.1', 10)).toBeCloseTo(0.5, 12);
    expect(lr('cosine:peak=1,warmup=20,total=100,final=0.1', 60)).toBeCloseTo(0.55, 12);
    expect(lr('cosine:peak=1,total=100,final=0.1,cycle=200', 100)).toBeCloseTo(0.55, 12);
    expect(lr('cosine:peak=1,total=100,final=1', 70)).toBeCloseTo(1, 12); // final = peak
  });
  it('linear to zero or to final', () => {
    expect(lr('linear:peak=1,total=100', 25)).toBeCloseTo(0.75, 12);
    expect(lr('linear:peak=1,warmup=20,total=100,final=0.2', 60)).toBeCloseTo(0.6, 12);
    expect(lr('linear:peak=1,total=100,final=1', 50)).toBe(1);
  });
  it('poly (HF defaults power 1, final 1e-7)', () => {
    expect(lr('poly:peak=1,total=100,power=2,final=0', 50)).toBeCloseTo(0.25, 12);
    expect(lr('poly:peak=1,total=100', 50)).toBeCloseTo((1 - 1e-7) * 0.5 + 1e-7, 12);
  });
  it('invsqrt (HF: timescale = warmup)', () => {
    expect(lr('invsqrt:peak=1,warmup=100', 100)).toBeCloseTo(1, 12);
    expect(lr('invsqrt:peak=1,warmup=100', 400)).toBeCloseTo(0.5, 12);
    expect(lr('invsqrt:peak=1', 30000)).toBeCloseTo(0.5, 12); // timescale 10000 without warmup
  });
  it('exp by gamma or to final', () => {
    expect(lr('exp:peak=1,gamma=0.5', 3)).toBeCloseTo(0.125, 12);
    expect(lr('exp:peak=1,total=100,final=0.01', 50)).toBeCloseTo(0.1, 12);
  });
  it('step with values or factors; fractions vs absolute milestones; 8-1-1; two-stage', () => {
    const s = 'step:peak=1,total=100,milestones=0.5/0.75,values=0.5/0.1';
    expect([lr(s, 49), lr(s, 50), lr(s, 74), lr(s, 75)]).toEqual([1, 0.5, 0.5, 0.1]);
    expect(lr('step:peak=2,total=100,milestones=50/75,factors=0.5/0.1', 80)).toBeCloseTo(0.2, 12);
    expect(lr('step:peak=3e-4,warmup=2160,total=16000,milestones=8000,values=9e-5', 8000)).toBe(9e-5);
    const d = 'step811:peak=1,total=1000';
    expect([lr(d, 799), lr(d, 800), lr(d, 899), lr(d, 900)]).toEqual([1, 0.316, 0.316, 0.1]);
    expect([lr('twostage:peak=1,total=100,switch=50,second=0.3', 49), lr('twostage:peak=1,total=100,switch=50,second=0.3', 50)]).toEqual([1, 0.3]);
  });
  it('wsd with every cooldown shape, and decay = 0', () => {
    const base = 'wsd:peak=1,total=100,decay=20';
    expect(lr(base, 79)).toBe(1);
    expect(lr(base, 90)).toBeCloseTo(0.5, 12);
    expect(lr(`${base},shape=cosine`, 90)).toBeCloseTo(0.5, 12);
    expect(lr(`${base},shape=cosine`, 85)).toBeCloseTo(0.5 * (1 + Math.cos(Math.PI / 4)), 12);
    expect(lr(`${base},shape=1-sqrt`, 85)).toBeCloseTo(0.5, 12);
    expect(lr(`${base},shape=square`, 90)).toBeCloseTo(0.75, 12);
    expect(lr(`${base},shape=exponential,final=0.01`, 90)).toBeCloseTo(0.1, 12);
    expect(lr(`${base},shape=linear,final=0.2`, 90)).toBeCloseTo(0.6, 12);
    expect(lr('wsd:peak=1,total=100,decay=0.2', 90)).toBeCloseTo(0.5, 12); // fraction of total
    expect(lr('wsd:peak=1,total=100,decay=0', 99)).toBe(1);
    // MPL wsd_20000_24000: geometric from 3e-4 to 3e-5 over 20000..24000
    expect(lr('wsd:peak=3e-4,warmup=2160,total=24000,decay=4000,shape=exponential,final=3e-5', 22000)).toBeCloseTo(3e-4 * Math.sqrt(0.1), 15);
  });
  it('rex, onecycle, sgdr, infinite', () => {
    expect(lr('rex:peak=1,total=100', 50)).toBeCloseTo(0.5 / 0.75, 12);
    expect(lr('onecycle:peak=1,total=101', 0)).toBeCloseTo(0.04, 12);
    expect(lr('onecycle:peak=1,total=101', 100)).toBeCloseTo(4e-6, 12);
    expect(lr('onecycle:peak=1,total=101,pct=0.3', 29.3)).toBeCloseTo(1, 12);
    expect(lr('sgdr:peak=1,period=10', 5)).toBeCloseTo(0.5, 12);
    expect(lr('sgdr:peak=1,period=10', 10)).toBeCloseTo(1, 12);
    expect(lr('sgdr:peak=1,period=10,mult=2', 20)).toBeCloseTo(0.5, 12);
    const inf = 'infinite:peak=1,total=100,cooldown=20,const=0.5,anneal=20,final=0.05';
    expect(lr(inf, 10)).toBeCloseTo(0.75, 12);
    expect(lr(inf, 50)).toBe(0.5);
    expect(lr(inf, 90)).toBeCloseTo(0.5 * Math.sqrt(0.1), 12);
  });
  it('file: per-step LRs', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'losscast-sched-')), 'lrs.txt');
    writeFileSync(path, 'lr\n0.1\n0.2\n0.05\n');
    const s = parseSchedule(`file:path=${path}`);
    expect([s.lrAt(0), s.lrAt(1), s.lrAt(2), s.peak, s.total]).toEqual([0.1, 0.2, 0.05, 0.2, 3]);
  });
});

describe('spec errors name the key', () => {
  it.each([
    ['cosinus:peak=1,total=10', /unknown schedule "cosinus"/],
    ['cosine:peak=1,total=10,decay=3', /unknown key "decay" for cosine/],
    ['cosine:peak=1', /total is required for cosine/],
    ['wsd:peak=1,total=100', /decay is required/],
    ['wsd:peak=1,warmup=50,total=100,decay=60', /decay=60 steps does not fit between warmup=50 and total=100/],
    ['cosine:peak=-1,total=10', /peak=-1: a learning rate cannot be negative/],
    ['step:peak=1,total=100,milestones=50/200,values=0.5/0.1', /milestones entry 200 is after total=100/],
    ['wsd:peak=1,total=100,decay=10,shape=wavy', /shape="wavy" is not one of linear, cosine, 1-sqrt/],
    ['wsd:peak=1,total=100,decay=10,shape=exponential', /final must be > 0 for shape=exponential/],
    ['linear:peak=1,total=100,warmup=1.5', /warmup=1.5 must be a fraction below 1 or a whole number of steps/],
    ['constant:peak=1,warmup=0.1', /warmup=0.1 is a fraction of total; give total=STEPS/],
  ])('%s', (spec, message) => {
    expect(() => parseSchedule(spec)).toThrow(message);
  });
});

describe('spec helpers', () => {
  it('splits PATH@SPEC at the last @ followed by a spec', () => {
    expect(splitLogArgument('runs/@team/a.csv@cosine:peak=1,total=2')).toEqual({ path: 'runs/@team/a.csv', schedule: 'cosine:peak=1,total=2' });
    expect(splitLogArgument('a@b.csv')).toEqual({ path: 'a@b.csv' });
  });
  it('expands a sweep and names candidates by what differs', () => {
    const specs = expandSweep('wsd:peak=1,total=100,decay=0.1..0.3/0.1');
    expect(specs).toEqual(['wsd:peak=1,total=100,decay=0.1', 'wsd:peak=1,total=100,decay=0.2', 'wsd:peak=1,total=100,decay=0.3']);
    expect(nameCandidates([...specs, 'cosine:peak=1,total=100']).map((c) => c.name)).toEqual(['wsd decay=0.1', 'wsd decay=0.2', 'wsd decay=0.3', 'cosine']);
  });
});

describe('sweeps with exponent notation', () => {
  it('keeps values exact', () => {
    expect(expandSweep('cosine:peak=1,total=10,final=0..3e-5/1e-5')).toEqual(['cosine:peak=1,total=10,final=0', 'cosine:peak=1,total=10,final=0.00001', 'cosine:peak=1,total=10,final=0.00002', 'cosine:peak=1,total=10,final=0.00003']);
  });
});
