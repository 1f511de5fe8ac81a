/**
 * The schedule library: every family's formula, with its source. Each family turns a spec's
 * values into η(t), the learning rate used at optimizer step t (t = 0, 1, …, total − 1).
 *
 * Warmup is a modifier shared by every family (except onecycle, which has its own warm-up
 * phase, and file): η(t) = peak · t / warmup for t < warmup (Hugging Face
 * `get_*_schedule_with_warmup`); `warmup=0` means none. After warmup,
 * p = (t − warmup) / (total − warmup) is the post-warmup progress, clamped to [0, 1].
 */
import { usageError } from '../errors.js';
import { MAX_SMALL_FILE_BYTES, readSmallFile } from '../text/small-file.js';
import type { SpecReader } from './reader.js';

/** What a key means, for `schedule --list` and the docs. */
export interface KeyDoc {
  key: string;
  meaning: string;
  fallback?: string;
}

/** The values every family shares, resolved to numbers. */
export interface BaseValues {
  peak: number;
  warmup: number;
  total: number | undefined;
}

/** One schedule family. */
export interface Family {
  name: string;
  summary: string;
  /** η(t) after warmup, as a formula. */
  formula: string;
  /** Where the formula comes from. */
  source: string;
  example: string;
  /** Keys beyond the common peak, warmup, total. */
  keys: KeyDoc[];
  totalRequired: boolean;
  /** False for families with their own warm-up (onecycle) or a fixed LR list (file). */
  hasWarmup: boolean;
  /** Returns η(t) for t ≥ warmup, and where it is flat. */
  build(r: SpecReader, base: BaseValues): BuiltLr;
}

/**
 * η(t) after warmup, plus the ranges [from, to) of steps (to may be Infinity) over which it is
 * constant: there the law's areas are computed in closed form, whatever their length.
 */
export interface BuiltLr {
  lrAt: (t: number) => number;
  flat: [number, number][];
  /** For families with a rise of their own (onecycle): the first step at the peak, i.e. where that warm-up ends. */
  peakAt?: number;
}

/** A built LR with no flat range. */
function smooth(lrAt: (t: number) => number): BuiltLr {
  return { lrAt, flat: [] };
}

const FINAL: KeyDoc = { key: 'final', meaning: 'LR at the end of the decay', fallback: '0' };

function progress(base: BaseValues): (t: number) => number {
  const span = (base.total ?? base.warmup) - base.warmup;
  return (t) => (span <= 0 ? 1 : Math.min(1, Math.max(0, (t - base.warmup) / span)));
}

/** Cosine interpolation from `start` (pct 0) to `end` (pct 1): PyTorch's `_annealing_cos`. */
export function cosineAnneal(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (1 + Math.cos(Math.PI * pct));
}

/** WSD cooldown shapes: the LR multiplier at decay progress x ∈ [0, 1], ending at ratio r. */
export const COOLDOWN_SHAPES = {
  linear: (x: number, r: number) => r + (1 - r) * (1 - x),
  cosine: (x: number, r: number) => r + (1 - r) * 0.5 * (1 + Math.cos(Math.PI * x)),
  '1-sqrt': (x: number, r: number) => r + (1 - r) * (1 - Math.sqrt(x)),
  square: (x: number, r: number) => r + (1 - r) * (1 - x * x),
  exponential: (x: number, r: number) => Math.pow(r, x),
  'mirror-cosine': (x: number, r: number) => 2 * (r + (1 - r) * (1 - x)) - (r + (1 - r) * 0.5 * (1 + Math.cos(Math.PI * x))),
} as const;
type Shape = keyof typeof COOLDOWN_SHAPES;

/** Piecewise-constant LR from `start` on: `levels[i]` from `milestones[i]` on, `first` before. */
function piecewise(start: number, first: number, milestones: number[], levels: number[]): BuiltLr {
  const lrAt = (t: number) => {
    let lr = first;
    for (let i = 0; i < milestones.length && t >= milestones[i]; i++) lr = levels[i];
    return lr;
  };
  const edges = [start, ...milestones.filter((m) => m > start), Infinity];
  return { lrAt, flat: edges.slice(1).map((to, i) => [edges[i], to]) };
}

function checkMilestones(r: SpecReader, key: string, milestones: number[], base: BaseValues): void {
  milestones.forEach((m, i) => {
    if (i > 0 && m <= milestones[i - 1]) r.fail(key, 'must be increasing');
    if (base.total !== undefined && m > base.total) r.fail(key, `entry ${m} is after total=${base.total}`);
  });
}

function stepLevels(r: SpecReader, milestones: number[], peak: number): number[] {
  const values = r.numberList('values');
  const factors = r.numberList('factors');
  if ((values === undefined) === (factors === undefined)) r.fail('values', 'or factors (not both) must be given: values are LRs, factors are multiples of peak');
  const levels = values ?? factors!.map((f) => f * peak);
  if (levels.length !== milestones.length) r.fail(values ? 'values' : 'factors', `needs one entry per milestone (${milestones.length})`);
  levels.forEach((v) => {
    if (v < 0) r.fail(values ? 'values' : 'factors', 'cannot be negative');
  });
  return levels;
}

const constant: Family = {
  name: 'constant',
  summary: 'constant LR after warmup',
  formula: 'η = peak',
  source: 'HF transformers get_constant_schedule_with_warmup',
  example: 'constant:peak=3e-4,warmup=2160,total=24000',
  keys: [],
  totalRequired: false,
  hasWarmup: true,
  build: (_r, base) => ({ lrAt: () => base.peak, flat: [[base.warmup, Infinity]] }),
};

const cosine: Family = {
  name: 'cosine',
  summary: 'cosine decay from peak to final over a cycle (cycle may differ from total)',
  formula: 'η = final + ½(peak − final)(1 + cos(π·min(1, (t − warmup)/(cycle − warmup))))',
  source: 'HF get_cosine_with_min_lr_schedule_with_warmup; MPL cosine_lrs (cycle = total)',
  example: 'cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5',
  keys: [FINAL, { key: 'cycle', meaning: 'step at which the cosine reaches final (> total ends above final)', fallback: 'total' }],
  totalRequired: true,
  hasWarmup: true,
  build(r, base) {
    const final = r.lr('final', 0);
    const cycle = r.steps('cycle', base.total);
    if (cycle <= base.warmup) r.fail('cycle', `must be after warmup=${base.warmup}`);
    return { lrAt: (t) => cosineAnneal(base.peak, final, Math.min(1, (t - base.warmup) / (cycle - base.warmup))), flat: [[cycle, Infinity]] };
  },
};

const linear: Family = {
  name: 'linear',
  summary: 'linear decay from peak to final (default 0: "straight to zero")',
  formula: 'η = peak + (final − peak)·p',
  source: 'HF get_linear_schedule_with_warmup; Bergsma et al. 2502.15938 (D2Z)',
  example: 'linear:peak=3e-4,warmup=2000,total=24000',
  keys: [FINAL],
  totalRequired: true,
  hasWarmup: true,
  build(r, base) {
    const final = r.lr('final', 0);
    const p = progress(base);
    return smooth((t) => base.peak + (final - base.peak) * p(t));
  },
};

const poly: Family = {
  name: 'poly',
  summary: 'polynomial decay',
  formula: 'η = (peak − final)(1 − p)^power + final',
  source: 'HF get_polynomial_decay_schedule_with_warmup',
  example: 'poly:peak=3e-4,warmup=2000,total=24000,power=2,final=1e-6',
  keys: [{ key: 'power', meaning: 'exponent of the decay', fallback: '1' }, { key: 'final', meaning: 'LR at the end', fallback: '1e-7' }],
  totalRequired: true,
  hasWarmup: true,
  build(r, base) {
    const power = r.number('power', 1, 1e-9);
    const final = r.lr('final', 1e-7);
    const p = progress(base);
    return smooth((t) => (base.peak - final) * Math.pow(1 - p(t), power) + final);
  },
};

const invsqrt: Family = {
  name: 'invsqrt',
  summary: 'inverse square root decay',
  formula: 'η = max(final, peak / sqrt((t + timescale − warmup)/timescale))',
  source: 'HF get_inverse_sqrt_schedule',
  example: 'invsqrt:peak=3e-4,warmup=2000,total=24000',
  keys: [{ key: 'timescale', meaning: 'steps over which the LR halves… roughly', fallback: 'warmup, or 10000 without warmup' }, FINAL],
  totalRequired: false,
  hasWarmup: true,
  build(r, base) {
    const timescale = r.steps('timescale', base.warmup > 0 ? base.warmup : 10000);
    if (timescale <= 0) r.fail('timescale', 'must be > 0');
    const final = r.lr('final', 0);
    // the decay reaches final where peak/√((t + timescale − warmup)/timescale) = final
    const floorFrom = final > 0 ? Math.ceil(base.warmup - timescale + timescale * (base.peak / final) ** 2) : Infinity;
    return { lrAt: (t) => Math.max(final, base.peak / Math.sqrt((t + timescale - base.warmup) / timescale)), flat: Number.isFinite(floorFrom) ? [[Math.max(base.warmup, floorFrom), Infinity]] : [] };
  },
};

const exp: Family = {
  name: 'exp',
  summary: 'exponential decay by a factor per step (or to final at total)',
  formula: 'η = peak·gamma^(t − warmup), gamma = (final/peak)^(1/(total − warmup)) when final is given',
  source: 'PyTorch ExponentialLR',
  example: 'exp:peak=3e-4,warmup=2000,total=24000,final=3e-5',
  keys: [{ key: 'gamma', meaning: 'factor per step, in (0, 1]' }, { key: 'final', meaning: 'LR reached at total (instead of gamma)' }],
  totalRequired: false,
  hasWarmup: true,
  build(r, base) {
    let gamma: number;
    if (r.has('gamma')) {
      if (r.has('final')) r.fail('final', 'and gamma cannot both be given');
      gamma = r.number('gamma', undefined, 1e-12, 1);
    } else {
      const final = r.lr('final');
      if (final <= 0) r.fail('final', 'must be > 0 for an exponential decay');
      if (base.total === undefined) r.fail('total', 'is required with final (or give gamma)');
      gamma = Math.pow(final / base.peak, 1 / Math.max(1, base.total! - base.warmup));
    }
    const lrAt = (t: number) => base.peak * Math.pow(gamma, t - base.warmup);
    return gamma === 1 ? { lrAt, flat: [[base.warmup, Infinity]] } : smooth(lrAt);
  },
};

const step: Family = {
  name: 'step',
  summary: 'multistep: the LR jumps to new values at milestones',
  formula: 'η = peak before milestones[0], then values[i] (or factors[i]·peak) from milestones[i] on',
  source: 'PyTorch MultiStepLR; DeepSeek-V2 README (8-1-1); MPL two_stage_lrs',
  example: 'step:peak=3e-4,warmup=2000,total=24000,milestones=0.8/0.9,factors=0.316/0.1',
  keys: [
    { key: 'milestones', meaning: 'steps where the LR changes, "/"-separated (fractions of total if below 1)' },
    { key: 'values', meaning: 'LR after each milestone, "/"-separated' },
    { key: 'factors', meaning: 'or multiples of peak after each milestone' },
  ],
  totalRequired: false,
  hasWarmup: true,
  build(r, base) {
    const milestones = r.stepList('milestones');
    if (milestones === undefined || milestones.length === 0) return r.fail('milestones', 'is required (e.g. milestones=0.8/0.9)');
    checkMilestones(r, 'milestones', milestones, base);
    return piecewise(base.warmup, base.peak, milestones, stepLevels(r, milestones, base.peak));
  },
};

const step811: Family = {
  name: 'step811',
  summary: 'DeepSeek "8-1-1": ×0.316 after 80 % and again after 90 % of total',
  formula: 'η = peak; peak·0.316 from 0.8·total; peak·0.1 from 0.9·total',
  source: 'DeepSeek-V2-Lite README; DeepSeek LLM 2401.02954',
  example: 'step811:peak=3e-4,warmup=2000,total=24000',
  keys: [],
  totalRequired: true,
  hasWarmup: true,
  build: (_r, base) => piecewise(base.warmup, base.peak, [Math.round(0.8 * base.total!), Math.round(0.9 * base.total!)], [0.316 * base.peak, 0.1 * base.peak]),
};

const twostage: Family = {
  name: 'twostage',
  summary: 'peak until a switch step, then a second constant LR',
  formula: 'η = peak for t < switch, second after',
  source: 'MPL two_stage_lrs ("wsdcon" runs)',
  example: 'twostage:peak=3e-4,warmup=2160,total=16000,switch=8000,second=9e-5',
  keys: [{ key: 'switch', meaning: 'step of the switch' }, { key: 'second', meaning: 'LR after the switch' }],
  totalRequired: false,
  hasWarmup: true,
  build(r, base) {
    const at = r.steps('switch');
    checkMilestones(r, 'switch', [at], base);
    return piecewise(base.warmup, base.peak, [at], [r.lr('second')]);
  },
};

const wsd: Family = {
  name: 'wsd',
  summary: 'warmup-stable-decay: constant, then a cooldown of the given length and shape',
  formula: 'η = peak until total − decay, then peak·shape(x, final/peak), x = (t − (total − decay))/decay',
  source: 'MiniCPM 2404.06395; Hägele et al. (epfml wsd_schedule) for shapes; MPL wsd_lrs (exponential)',
  example: 'wsd:peak=3e-4,warmup=2160,total=24000,decay=4000,shape=exponential,final=3e-5',
  keys: [
    { key: 'decay', meaning: 'length of the cooldown (fraction of total if below 1)' },
    { key: 'shape', meaning: `cooldown shape: ${Object.keys(COOLDOWN_SHAPES).join(', ')}`, fallback: 'linear' },
    FINAL,
  ],
  totalRequired: true,
  hasWarmup: true,
  build(r, base) {
    const decay = r.steps('decay');
    const total = base.total!;
    if (decay > total - base.warmup) r.fail('decay', `=${decay} steps does not fit between warmup=${base.warmup} and total=${total}`);
    const shape = r.choice<Shape>('shape', Object.keys(COOLDOWN_SHAPES) as Shape[], 'linear');
    const final = r.lr('final', 0);
    if (shape === 'exponential' && final <= 0) r.fail('final', 'must be > 0 for shape=exponential');
    const ratio = base.peak > 0 ? final / base.peak : 0;
    const start = total - decay;
    const f = COOLDOWN_SHAPES[shape];
    return {
      lrAt: (t) => (t < start || decay === 0 ? base.peak : base.peak * f(Math.min(1, (t - start) / decay), ratio)),
      flat: decay === 0 ? [[base.warmup, Infinity]] : [[base.warmup, start], [total, Infinity]],
    };
  },
};

const rex: Family = {
  name: 'rex',
  summary: 'REX: reflected exponential decay, no extra hyper-parameters',
  formula: 'η = final + (peak − final)·(1 − p)/(1 − p/2)',
  source: 'Chen et al. 2107.04197 (REX)',
  example: 'rex:peak=3e-4,warmup=2000,total=24000',
  keys: [FINAL],
  totalRequired: true,
  hasWarmup: true,
  build(r, base) {
    const final = r.lr('final', 0);
    const p = progress(base);
    return smooth((t) => final + (base.peak - final) * ((1 - p(t)) / (1 - p(t) / 2)));
  },
};

const onecycle: Family = {
  name: 'onecycle',
  summary: 'PyTorch OneCycleLR (two phases, cosine annealing; has its own warm-up)',
  formula: 'cos from peak/div up to peak over pct·total steps, then cos down to peak/div/finaldiv (or final)',
  source: 'PyTorch torch.optim.lr_scheduler.OneCycleLR',
  example: 'onecycle:peak=3e-4,total=24000,pct=0.3',
  keys: [
    { key: 'pct', meaning: 'fraction of steps spent rising', fallback: '0.3' },
    { key: 'div', meaning: 'initial LR = peak/div', fallback: '25' },
    { key: 'finaldiv', meaning: 'final LR = initial/finaldiv', fallback: '1e4' },
    { key: 'final', meaning: 'final LR (instead of finaldiv)' },
  ],
  totalRequired: true,
  hasWarmup: false,
  build(r, base) {
    const pct = r.number('pct', 0.3, 0, 1);
    const initial = base.peak / r.number('div', 25, 1e-12);
    const final = r.has('final') ? r.lr('final') : initial / r.number('finaldiv', 1e4, 1e-12);
    const rise = pct * base.total! - 1;
    const end = base.total! - 1;
    return {
      lrAt: (t) => (t <= rise ? cosineAnneal(initial, base.peak, rise <= 0 ? 1 : t / rise) : cosineAnneal(base.peak, final, Math.min(1, (t - rise) / (end - rise)))),
      flat: [],
      peakAt: Math.max(0, Math.ceil(rise)),
    };
  },
};

const sgdr: Family = {
  name: 'sgdr',
  summary: 'cosine with warm restarts (SGDR)',
  formula: 'η = final + ½(peak − final)(1 + cos(π·T_cur/T_i)), T_i = period·mult^i',
  source: 'Loshchilov & Hutter 1608.03983; PyTorch CosineAnnealingWarmRestarts',
  example: 'sgdr:peak=3e-4,warmup=1000,total=24000,period=5000,mult=2',
  keys: [{ key: 'period', meaning: 'length of the first cycle' }, { key: 'mult', meaning: 'growth factor of each next cycle', fallback: '1' }, FINAL],
  totalRequired: false,
  hasWarmup: true,
  build(r, base) {
    const period = r.steps('period');
    if (period <= 0) r.fail('period', 'must be > 0');
    const mult = r.number('mult', 1, 1);
    const final = r.lr('final', 0);
    return smooth((t) => {
      const since = t - base.warmup;
      let cur: number;
      let len: number;
      if (mult === 1) {
        cur = since % period;
        len = period;
      } else {
        const i = Math.floor(Math.log((since / period) * (mult - 1) + 1) / Math.log(mult));
        cur = since - (period * (Math.pow(mult, i) - 1)) / (mult - 1);
        len = period * Math.pow(mult, i);
      }
      return cosineAnneal(base.peak, final, cur / len);
    });
  },
};

const infinite: Family = {
  name: 'infinite',
  summary: 'infinite LR schedule: cosine cooldown to a constant, then an exponential final anneal',
  formula: 'cos from peak to const over warmup..cooldown; const; then const·(final/const)^((t − (total − anneal))/anneal)',
  source: 'Ibrahim et al. 2403.08763; Defazio/"infinite" schedules review 2503.02844',
  example: 'infinite:peak=3e-4,warmup=1000,total=24000,cooldown=4000,const=1e-4,anneal=2000,final=1e-5',
  keys: [
    { key: 'cooldown', meaning: 'step where the cosine cooldown reaches const' },
    { key: 'const', meaning: 'LR of the constant phase' },
    { key: 'anneal', meaning: 'length of the final exponential anneal', fallback: '0' },
    { key: 'final', meaning: 'LR at the end of the anneal (> 0 when anneal > 0)' },
  ],
  totalRequired: true,
  hasWarmup: true,
  build(r, base) {
    const cooldown = r.steps('cooldown');
    const level = r.lr('const');
    const anneal = r.steps('anneal', 0);
    const total = base.total!;
    if (cooldown <= base.warmup) r.fail('cooldown', `must be after warmup=${base.warmup}`);
    if (cooldown > total - anneal) r.fail('anneal', `=${anneal} starts before cooldown=${cooldown} ends`);
    const final = anneal > 0 ? r.lr('final') : r.lr('final', level);
    if (anneal > 0 && (final <= 0 || level <= 0)) r.fail('final', 'and const must be > 0 for the exponential anneal');
    const annealStart = total - anneal;
    return {
      lrAt: (t) => {
        if (t < cooldown) return cosineAnneal(base.peak, level, (t - base.warmup) / (cooldown - base.warmup));
        if (t < annealStart || anneal === 0) return level;
        return level * Math.pow(final / level, Math.min(1, (t - annealStart) / anneal));
      },
      flat: anneal === 0 ? [[cooldown, Infinity]] : [[cooldown, annealStart], [total, Infinity]],
    };
  },
};

/** η(t) from a list of per-step LRs (the last value holds after the end). */
export function stepwise(values: readonly number[]): (t: number) => number {
  return (t) => values[Math.min(values.length - 1, Math.max(0, Math.floor(t)))];
}

/** Reads a file of per-step LRs: one number per line, or "step,lr" rows (header optional). */
export function readLrFile(path: string): number[] {
  const text = readSmallFile(path, 'schedule file', MAX_SMALL_FILE_BYTES, (message, file) => usageError(`schedule file ${file}: ${message}`));
  const values: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const cells = line.split(/[,\t ]+/).filter((c) => c !== '');
    if (cells.length === 0) return;
    const v = Number(cells[cells.length - 1]);
    if (!Number.isFinite(v) || v < 0) {
      if (i === 0 && values.length === 0) return; // header
      throw usageError(`schedule file ${path}:${i + 1}: "${cells[cells.length - 1]}" is not a learning rate ≥ 0`);
    }
    if (cells.length >= 2) {
      const s = Number(cells[0]);
      if (!Number.isInteger(s) || s !== values.length) throw usageError(`schedule file ${path}:${i + 1}: expected step ${values.length}, found "${cells[0]}" (one row per step from 0)`);
    }
    values.push(v);
  });
  if (values.length === 0) throw usageError(`schedule file "${path}" has no learning rates`);
  return values;
}

const file: Family = {
  name: 'file',
  summary: 'per-step LRs read from a file (one per line, or step,lr rows from step 0)',
  formula: 'η(t) = row t of the file; peak = its maximum; total = its length',
  source: '—',
  example: 'file:path=lrs.txt',
  keys: [{ key: 'path', meaning: 'the file of per-step LRs' }],
  totalRequired: false,
  hasWarmup: false,
  build(r) {
    return smooth(stepwise(readLrFile(r.raw('path') ?? r.fail('path', 'is required'))));
  },
};

/** Every family, in the order `schedule --list` shows them. */
export const FAMILIES: readonly Family[] = [constant, cosine, linear, poly, invsqrt, exp, step, step811, twostage, wsd, rex, onecycle, sgdr, infinite, file];

/** Looks up a family by name. */
export function familyByName(name: string): Family | undefined {
  return FAMILIES.find((f) => f.name === name);
}
