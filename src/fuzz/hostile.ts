/**
 * Hostile cases for `npm run fuzz` that need a real process and a shell (issue 23, items 1–9):
 * stdout on a full disk, documents nested thousands deep, absurd optimiser sizes, endless devices,
 * empty file names, absurd numbers, an output that is an input, losses no run has, and big,
 * changing or piped logs. Each case is a bash command line running the built CLI, with what its
 * outcome must be besides the general rules of judge.ts (a clean exit, one "losscast:" line, no
 * stack trace, within the time limit). Every generator is seeded: the same seed, the same cases.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { EXTREME_NUMBERS, oneOf, pick, type Random } from './mutate.js';

/** One hostile case: a bash command (LOSSCAST stands for the CLI) and its expectations. */
export interface HostileCase {
  /** Issue 23 item it exercises (1–9), or 10: issue 24's pilots files. */
  item: number;
  what: string;
  command: string;
  /** Exit codes it may end with (default: any clean one). */
  exits?: readonly number[];
  /** A pattern its stderr must match when it fails (exit ≠ 0). */
  message?: RegExp;
  /** Files that must be byte-identical after the case (inputs an output must never replace). */
  unchanged?: string[];
  /** stderr is sent where nothing can be written too: the exit status alone reports the error. */
  silent?: boolean;
  /** Input files the case made (kept with a failure). */
  files: string[];
}

/** The inputs every hostile case may use, made once per fuzz run. */
export interface HostileInputs {
  dir: string;
  /** A small CSV log with its schedule spec. */
  log: string;
  spec: string;
  /** A params file of each law. */
  params: { momentum: string; mpl: string };
}

/** The item of issue 23 each generator covers, and how to make one case of it. */
type CaseMaker = (random: Random, inputs: HostileInputs, id: number) => HostileCase;

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** A file in the case's own folder. */
function caseFile(inputs: HostileInputs, id: number, name: string, content: string | Buffer): string {
  const dir = join(inputs.dir, `h${id}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Commands whose output is small and quick, for the full-disk cases. */
function quickCommand(random: Random, inputs: HostileInputs): string {
  return oneOf(random, [
    `schedule ${quote(inputs.spec)} --json`,
    `fit ${quote(`${inputs.log}@${inputs.spec}`)} --samples 0${random() < 0.5 ? ' --json' : ' --no-chart'}`,
    `inspect ${quote(inputs.log)}${random() < 0.5 ? ' --json' : ''}`,
    `predict --params ${quote(inputs.params.momentum)} --schedule ${quote(inputs.spec)} --csv --every ${oneOf(random, ['10', '100'])}`,
    'schedule --list',
  ]);
}

/** Nests `inner` `depth` levels deep in arrays or objects. */
function nested(depth: number, inner: string, objects: boolean): string {
  return objects ? '{"a":'.repeat(depth) + inner + '}'.repeat(depth) : '['.repeat(depth) + inner + ']'.repeat(depth);
}

const GENERATORS: Record<number, CaseMaker> = {
  10: (random, inputs, id) => hostilePilots(random, inputs, id),
  1: (random, inputs) => {
    const silent = random() < 0.3;
    return { item: 1, what: `stdout${silent ? ' and stderr' : ''} on a full disk`, command: `LOSSCAST ${quickCommand(random, inputs)} > /dev/full${silent ? ' 2>&1' : ''}`, exits: [1], message: silent ? undefined : /cannot write to standard output \(ENOSPC/, silent, files: [] };
  },
  2: (random, inputs, id) => {
    const depth = oneOf(random, [101, 1000, 6000, 50_000]);
    const objects = random() < 0.5;
    const where = pick(random, 5);
    if (where === 0) {
      const path = caseFile(inputs, id, 'deep.json', nested(depth, '1', objects));
      return { item: 2, what: `a .json log nested ${depth} deep`, command: `LOSSCAST ${oneOf(random, ['fit', 'inspect'])} ${quote(path)}`, exits: [1], message: /nests arrays or objects more than/, files: [path] };
    }
    if (where === 1) {
      const lines = [`{"step": 1, "loss": 2.5, "x": ${nested(depth, '1', true)}}`, '{"step": 2, "loss": 2.4}'];
      const path = caseFile(inputs, id, 'deep.jsonl', `${lines.join('\n')}\n`);
      return { item: 2, what: `a JSONL record nested ${depth} deep`, command: `LOSSCAST fit ${quote(path)} --samples 0`, exits: [1], message: /nests arrays or objects more than/, files: [path] };
    }
    if (where === 2) {
      const path = caseFile(inputs, id, 'deep-params.json', nested(depth, '1', objects));
      return { item: 2, what: `a params file nested ${depth} deep`, command: `LOSSCAST predict --params ${quote(path)} --schedule ${quote(inputs.spec)}`, exits: [1], message: /nests arrays or objects more than/, files: [path] };
    }
    if (where === 3) {
      const path = caseFile(inputs, id, 'deep.yaml', nested(depth, '1', false));
      return { item: 2, what: `a YAML manifest nested ${depth} deep`, command: `LOSSCAST evaluate ${quote(path)}`, exits: [1], message: /nests arrays or objects more than/, files: [path] };
    }
    const path = caseFile(inputs, id, 'deep_trainer_state.json', `{"log_history": ${nested(depth, '{"step": 1, "loss": 2}', false)}}`);
    return { item: 2, what: `a trainer_state.json whose log_history nests ${depth} deep`, command: `LOSSCAST fit ${quote(path)}`, exits: [1], message: /nests arrays or objects more than/, files: [path] };
  },
  3: (random, inputs) => {
    const blocks = oneOf(random, ['0', '1', '200', '1000', '1001', '100000', '1e9', '1e12']);
    const total = oneOf(random, ['2', '500', '24000', '1e6', '1e9', '1e12']);
    const warmup = random() < 0.5 ? '' : ` --warmup ${oneOf(random, ['0', '10', '2160', '1e6'])}`;
    const params = random() < 0.5 ? inputs.params.momentum : inputs.params.mpl;
    return { item: 3, what: `optimize --free-form --blocks ${blocks} --total ${total}${warmup}`, command: `LOSSCAST optimize --params ${quote(params)} --free-form --blocks ${blocks} --total ${total}${warmup} --json`, files: [] };
  },
  4: (random) => {
    const format = oneOf(random, ['csv', 'jsonl', 'json', 'megatron', 'llmc', 'nanogpt', 'tensorboard', 'wandb-csv', 'hf-trainer-state', 'olmo', 'mlflow']);
    const stdin = random() < 0.3;
    return { item: 4, what: `/dev/zero read as ${format}${stdin ? ' through stdin' : ''}`, command: stdin ? `LOSSCAST fit - --format ${format} < /dev/zero` : `LOSSCAST ${oneOf(random, ['fit', 'inspect'])} /dev/zero --format ${format}`, exits: [1, 2], files: [] };
  },
  5: (random, inputs) => {
    const name = oneOf(random, ["''", "' '", "'\t'"]);
    const option = oneOf(random, [
      `fit ${quote(`${inputs.log}@${inputs.spec}`)} --samples 0 -o ${name}`,
      `fit ${quote(`${inputs.log}@${inputs.spec}`)} --samples 0 --html ${name}`,
      `predict --params ${name} --schedule ${quote(inputs.spec)}`,
      `compare --params ${quote(inputs.params.momentum)} --candidates ${name}`,
      `optimize --params ${quote(inputs.params.momentum)} --total 24000 -o ${name}`,
      `fit ${name}`,
    ]);
    return { item: 5, what: `an empty file name: ${option}`, command: `LOSSCAST ${option}`, exits: [2], files: [] };
  },
  6: (random, inputs) => {
    const value = oneOf(random, [...EXTREME_NUMBERS.filter((v) => v !== ''), '1e308', '-1e308', '1e-320']);
    const option = oneOf(random, [
      ['predict', `--fit ${quote(`${inputs.log}@${inputs.spec}`)} --samples 20 --schedule ${quote(inputs.spec)}`, '--noise-floor'],
      ['fit', quote(`${inputs.log}@${inputs.spec}`), '--samples'],
      ['fit', `${quote(`${inputs.log}@${inputs.spec}`)} --model mpl --samples 0`, '--mpl-prior'],
      ['predict', `--params ${quote(inputs.params.momentum)} --schedule ${quote(inputs.spec)}`, '--tail'],
      ['check', `--params ${quote(inputs.params.momentum)} ${quote(`${inputs.log}@${inputs.spec}`)}`, oneOf(random, ['--window', '--smooth', '--trend', '--tolerance'])],
      ['compare', `--params ${quote(inputs.params.momentum)} --schedule ${quote(inputs.spec)}`, oneOf(random, ['--tolerance', '--max-lines', '--total'])],
      ['fit', `${quote(`${inputs.log}@${inputs.spec}`)} --samples 0`, oneOf(random, ['--level', '--lambda', '--from-step', '--to-step', '--seed'])],
    ]);
    return { item: 6, what: `${option[0]} ${option[2]} ${value}`, command: `LOSSCAST ${option[0]} ${option[1]} ${option[2]} ${quote(value)} --json`, files: [] };
  },
  7: (random, inputs, id) => {
    const log = caseFile(inputs, id, 'log.csv', readFileSync(inputs.log));
    const link = join(inputs.dir, `h${id}`, 'link.csv');
    symlinkSync(log, link);
    const target = oneOf(random, [log, link, `${join(inputs.dir, `h${id}`)}/./log.csv`]);
    const flag = oneOf(random, ['-o', '--html']);
    const reader = random() < 0.5 ? log : link;
    return { item: 7, what: `${flag} over an input log`, command: `LOSSCAST fit ${quote(`${reader}@${inputs.spec}`)} --samples 0 ${flag} ${quote(target)}`, exits: [2], unchanged: [log], files: [log] };
  },
  8: (random, inputs, id) => {
    const value = oneOf(random, ['1e308', '1e300', '1e200', '5e6', '1e154', '-1e308', '1.7976931348623157e308']);
    const share = random();
    const rows = Array.from({ length: 60 }, (_, i) => `${(i + 1) * 10},${random() < share ? value : (2.5 + 1.5 * (i + 1) ** -0.4).toFixed(5)},3e-4`);
    const path = caseFile(inputs, id, 'huge-losses.csv', `step,loss,lr\n${rows.join('\n')}\n`);
    return { item: 8, what: `losses of ${value} in ${(100 * share).toFixed(0)} % of rows`, command: `LOSSCAST fit ${quote(path)} --samples ${oneOf(random, ['0', '20'])}${random() < 0.5 ? ' --json' : ''}`, files: [path] };
  },
  9: (random, inputs, id) => {
    const kind = pick(random, 5);
    const records = (n: number) => Array.from({ length: n }, (_, i) => ({ step: (i + 1) * 10, loss: Number((2.5 + 1.5 * (i + 1) ** -0.4).toFixed(5)), learning_rate: 3e-4 }));
    if (kind === 0) {
      const path = caseFile(inputs, id, 'one-line.json', JSON.stringify(records(20_000 + pick(random, 40_000)).map((r) => ({ ...r, note: 'x'.repeat(pick(random, 400)) }))));
      return { item: 9, what: 'a one-line JSON array of several MB', command: `LOSSCAST fit ${quote(path)} --samples 0 --json`, exits: [0], files: [path] };
    }
    if (kind === 1) {
      const first = JSON.stringify({ step: 0, config: { blob: 'y'.repeat((1 << 20) + pick(random, 4 << 20)) } });
      const path = caseFile(inputs, id, random() < 0.5 ? 'big-first.jsonl' : 'big-first.log', `${[first, ...records(60).map((r) => JSON.stringify(r))].join('\n')}\n`);
      return { item: 9, what: 'a JSONL log whose first line is over 1 MiB', command: `LOSSCAST fit ${quote(path)} --samples 0 --json`, exits: [0], files: [path] };
    }
    if (kind === 2) {
      const lines = records(300_000).map((r) => `${r.step},${r.loss},${r.learning_rate}`);
      const path = caseFile(inputs, id, 'shrinking.csv', `step,loss,lr\n${lines.join('\n')}\n`);
      const delay = (pick(random, 30) / 100).toFixed(2);
      return { item: 9, what: `a log truncated ${delay} s into the read`, command: `(sleep ${delay}; : > ${quote(path)}) & LOSSCAST fit ${quote(path)} --samples 0 --json; status=$?; wait; exit $status`, files: [] };
    }
    if (kind === 3) {
      const how = oneOf(random, [`<(cat ${quote(inputs.log)})`, `<(gzip -c ${quote(inputs.log)})`, `/dev/stdin < ${quote(inputs.log)}`]);
      return { item: 9, what: `a log through ${how.split(' ')[0]}`, command: `LOSSCAST ${oneOf(random, ['fit', 'inspect'])} ${how}${random() < 0.5 ? ` --schedule ${quote(inputs.spec)}` : ''} --json`, exits: [0], files: [] };
    }
    const runs = 2 + pick(random, 4);
    const header = ['"Step"', ...Array.from({ length: runs }, (_, r) => [`"run-${r} - train/grad_norm"`, `"run-${r} - train/grad_norm__MIN"`, `"run-${r} - train/grad_norm__MAX"`]).flat()];
    const rows = Array.from({ length: 30 }, (_, i) => [String(i + 1), ...Array.from({ length: runs * 3 }, () => (1 / (i + 1)).toFixed(4))].join(','));
    const path = caseFile(inputs, id, 'wandb-no-loss.csv', `${header.join(',')}\n${rows.join('\n')}\n`);
    return { item: 9, what: `a W&B export of ${runs} runs, none with a loss`, command: `LOSSCAST fit ${quote(path)}`, exits: [1], message: /no run of this W&B export/, files: [path] };
  },
};

/** Hostile pilots files for suggest (issue 24): each must be refused in one line with exit 2. */
function hostilePilots(random: Random, inputs: HostileInputs, id: number): HostileCase {
  const wsd = 'wsd:peak=3e-4,warmup=2160,total=16000,decay=2000,final=0';
  const cases: [string, unknown, RegExp][] = [
    ['a cost of 0', { pilots: [{ schedule: wsd, cost: 0 }] }, /cost 0 must be a positive/],
    ['a negative cost', { pilots: [{ schedule: wsd, cost: -1 - pick(random, 1000) }] }, /must be a positive/],
    ['an infinite cost', `{"pilots": [{"schedule": "${wsd}", "cost": 1e999}]}`, /cost Infinity/],
    ['a cost that is text', { pilots: [{ schedule: wsd, cost: 'cheap' }] }, /cost "cheap"/],
    ['an empty menu', { pilots: [] }, /empty/],
    ['10,000 pilots', { pilots: Array.from({ length: 10000 }, (_, i) => ({ name: `p${i}`, schedule: wsd, cost: 2000 })) }, /10000 pilots.*at most/],
    ['a branch contradicting its run', { pilots: [{ schedule: wsd, branchFrom: `${basename(inputs.log).replace(/\.[^.]*$/, '')}@${4000 + pick(random, 8000)}` }] }, /contradicts its branch/],
    ['a branch from no fitted run', { pilots: [{ schedule: wsd, branchFrom: 'nowhere@3000' }] }, /not a fitted run/],
    ['an unknown schedule', { pilots: [{ schedule: 'nosuch:peak=1', cost: 10 }] }, /unknown schedule "nosuch"/],
  ];
  const [what, doc, message] = cases[pick(random, cases.length)];
  const path = caseFile(inputs, id, 'pilots.json', typeof doc === 'string' ? doc : JSON.stringify(doc));
  const candidates = `--schedule ${quote(inputs.spec)} --schedule ${quote(inputs.spec.replace(/final=[^,]*/, 'final=0'))}`;
  return { item: 10, what: `suggest: ${what}`, command: `LOSSCAST suggest --fit ${quote(`${inputs.log}@${inputs.spec}`)} ${candidates} --pilots ${quote(path)} --model momentum --samples 5 --simulations 2`, exits: [2], message, files: [path] };
}

/** Issue 23's items 1–9 and issue 24's hostile pilots (10). */
const ITEMS = 10;

/** `count` hostile cases, cycling through the items (each case seeded). */
export function* hostileCases(random: Random, inputs: HostileInputs, count: number, firstId: number): Generator<HostileCase & { id: number }> {
  for (let i = 0; i < count; i++) {
    const item = 1 + (i % ITEMS);
    const id = firstId + i;
    yield { ...GENERATORS[item](random, inputs, id), id };
  }
}

/** A file's content hash (to check that an input was left alone). */
export function fileHash(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return 'missing';
  }
}

/** Why a hostile case's outcome breaks its own expectations (beyond judge.ts), or undefined. */
export function judgeHostile(c: HostileCase, code: number, stderr: string, hashes: Map<string, string>): string | undefined {
  if (c.exits && !c.exits.includes(code)) return `exit ${code}, expected ${c.exits.join(' or ')}`;
  if (code !== 0 && c.message && !c.message.test(stderr)) return `error "${stderr.trim().split('\n').pop()}" does not say ${c.message}`;
  if (/Maximum call stack|ENOSPC: no space left on device, write|ESPIPE/.test(stderr)) return 'a raw system error on stderr';
  for (const f of c.unchanged ?? []) if (fileHash(f) !== hashes.get(f)) return `${f} was changed: an output replaced an input`;
  return undefined;
}
