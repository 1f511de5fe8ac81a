/**
 * `npm run fuzz`: feeds losscast thousands of hostile inputs and prints a table of outcomes.
 * Mutated real logs (fixtures/real-logs, fixtures/hand-made, three public 400M curves), random
 * schedule specs and mutated params files are run through every command in a pool of worker
 * processes; each case must end with a documented exit code, a one-line error, valid JSON and
 * no loss that is not a loss, within the time limit and the memory limit. Exits 1 on any failure,
 * keeping the failing inputs (and the command that reproduces each) in --keep. Hostile cases
 * (hostile.ts: a full disk, documents nested thousands deep, /dev/zero, absurd options, an output
 * that is an input, …) run as real shell command lines, each judged by the same rules and its own.
 *
 *   node dist/fuzz/run.js [--logs 10000] [--specs 2000] [--params 200] [--hostile 270] [--seed 1]
 *                         [--jobs N] [--timeout-ms 10000] [--max-rss-mb 500] [--keep fuzz-failures]
 */
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../fit/resample.js';
import { renderTable } from '../render/table.js';
import { FAMILIES } from '../schedule/families.js';
import { judge } from './judge.js';
import { fileHash, type HostileCase, hostileCases, judgeHostile } from './hostile.js';
import { runLimited, runShell } from './shell-pool.js';
import { mutateLog, mutateParams, oneOf, pick, type Random, randomSpec } from './mutate.js';
import type { FuzzJob, FuzzOutcome } from './worker.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = `${ROOT}fixtures/`;
const COSINE_400M = `${FIXTURES}mpl-400M/cosine_24000.csv`;
const COSINE_SPEC = 'cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5';
const GOOD_SPECS = [COSINE_SPEC, 'wsd:peak=3e-4,warmup=2160,total=24000,decay=0.2', 'constant:peak=3e-4,warmup=2160,total=24000'];

/** Settings of a fuzz run. */
export interface FuzzSettings {
  logs: number;
  specs: number;
  params: number;
  /** Hostile shell cases (items 1–9 of issue 23, 10: issue 24's pilots files). */
  hostile: number;
  seed: number;
  jobs: number;
  timeoutMs: number;
  maxRssMB: number;
  keep: string;
}

/** One case: its kind, command line, and the input files it made. */
interface FuzzCase {
  id: number;
  kind: 'log' | 'spec' | 'params' | `hostile ${number}`;
  what: string;
  argv: string[];
  files: string[];
}

/** One judged case. */
interface Judged extends FuzzCase {
  code: number | 'hang' | 'died';
  ms: number;
  rssMB: number;
  failure?: string;
  stderr: string;
}

function parseArgs(argv: readonly string[]): FuzzSettings {
  const settings: FuzzSettings = { logs: 10_000, specs: 2_000, params: 200, hostile: 270, seed: 1, jobs: Math.max(1, availableParallelism()), timeoutMs: 10_000, maxRssMB: 500, keep: 'fuzz-failures' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof FuzzSettings;
    if (!(key in settings)) throw new Error(`unknown option ${argv[i]}; options: --logs --specs --params --hostile --seed --jobs --timeout-ms --max-rss-mb --keep`);
    (settings as unknown as Record<string, unknown>)[key] = key === 'keep' ? argv[i + 1] : Number(argv[i + 1]);
  }
  return settings;
}

/** The logs mutated: every real and hand-made fixture, and three public loss curves. */
function sourceLogs(): string[] {
  const out: string[] = [];
  for (const dir of ['real-logs', 'hand-made']) {
    for (const entry of readdirSync(`${FIXTURES}${dir}`, { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && !/\.(md|py)$/.test(entry.name)) out.push(join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name));
    }
  }
  out.push(COSINE_400M, `${FIXTURES}mpl-400M/wsdcon_9.csv`, `${FIXTURES}mpl-25M/constant_24000.csv`);
  return out;
}

/** Fits the params files every spec and params case starts from (momentum and Multi-Power Law, with a bootstrap). */
function baseParams(dir: string): { momentum: string; mpl: string } {
  const runs = [`${COSINE_400M}@${COSINE_SPEC}`, `${FIXTURES}mpl-400M/constant_24000.csv@constant:peak=3e-4,warmup=2160,total=24000`];
  const out = { momentum: join(dir, 'momentum.json'), mpl: join(dir, 'mpl.json') };
  for (const [model, path] of Object.entries(out)) {
    const r = spawnSync(process.execPath, [`${ROOT}bin/losscast.js`, 'fit', ...runs, '--model', model, '--samples', '30', '-o', path, '--json'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`could not fit the base params (${model}): ${r.stderr}`);
  }
  return out;
}

/** Extra files `file:path=` specs point at: a good LR list, a long one, an empty one, binary, /dev/zero, missing. */
function lrFiles(dir: string): string[] {
  const good = join(dir, 'lr.txt');
  writeFileSync(good, Array.from({ length: 2000 }, (_, i) => String(3e-4 * Math.min(1, (i + 1) / 100))).join('\n'));
  const long = join(dir, 'lr-long.txt');
  writeFileSync(long, Array.from({ length: 300_000 }, (_, i) => String(3e-4 * (1 - i / 300_000))).join('\n'));
  const empty = join(dir, 'lr-empty.txt');
  writeFileSync(empty, '');
  const binary = join(dir, 'lr.bin');
  writeFileSync(binary, Buffer.from([0, 1, 2, 3, 255, 0x1b, 0x5d]));
  return [good, long, empty, binary, '/dev/zero', join(dir, 'missing.txt')];
}

/** Builds every case (inputs written to `dir`) from one seed. */
function* makeCases(settings: FuzzSettings, dir: string, base: { momentum: string; mpl: string }): Generator<FuzzCase> {
  const random: Random = seededRandom(settings.seed);
  const logs = sourceLogs().map((path) => ({ path, bytes: readFileSync(path) }));
  const files = lrFiles(dir);
  let id = 0;
  for (let i = 0; i < settings.logs; i++, id++) {
    const source = oneOf(random, logs);
    const { bytes, names } = mutateLog(source.bytes, random);
    const caseDir = join(dir, `c${id}`);
    mkdirSync(caseDir);
    const path = join(caseDir, basename(source.path) + (names.some((n) => n.startsWith('gzip')) && random() < 0.5 ? '.gz' : ''));
    writeFileSync(path, bytes);
    const roll = random();
    const argv =
      roll < 0.55 ? ['fit', path, '--json', '--samples', '0']
      : roll < 0.65 ? ['fit', path, '--samples', '8', '--no-chart']
      : roll < 0.77 ? ['inspect', path, '--json']
      : roll < 0.82 ? ['fit', path, '--model', 'mpl', '--json', '--samples', '0']
      : roll < 0.95 ? ['fit', `${path}@${random() < 0.7 ? oneOf(random, GOOD_SPECS) : randomSpec(random, FAMILIES, files)}`, '--json', '--samples', '0']
      : ['check', '--params', base.momentum, `${path}@${COSINE_SPEC}`, '--json'];
    yield { id, kind: 'log', what: `${basename(source.path)}: ${names.join('+')}`, argv, files: [path] };
  }
  for (let i = 0; i < settings.specs; i++, id++) {
    const spec = randomSpec(random, FAMILIES, files);
    const law = random() < 0.7 ? base.momentum : base.mpl;
    const roll = random();
    const argv =
      roll < 0.25 ? ['schedule', spec, '--json']
      : roll < 0.55 ? ['predict', '--params', law, '--schedule', spec, '--json', ...(random() < 0.3 ? ['--at', oneOf(random, ['1', '10,100', '24000', '0', '99999999999'])] : [])]
      : roll < 0.65 ? ['predict', '--params', law, '--schedule', spec, '--csv', '--every', oneOf(random, ['1', '97', '100000'])]
      : roll < 0.75 ? ['predict', '--params', law, '--schedule', spec, '--total', '5000', '--no-chart']
      : ['compare', '--params', law, '--schedule', spec, '--schedule', oneOf(random, GOOD_SPECS), '--json'];
    yield { id, kind: 'spec', what: spec, argv, files: [] };
  }
  const templates = [readFileSync(base.momentum, 'utf8'), readFileSync(base.mpl, 'utf8'), JSON.stringify({ L0: 2.4, A: 0.6, alpha: 0.5, C: 0.5, lambda: 0.999 })];
  for (let i = 0; i < settings.params; i++, id++) {
    const { bytes, names } = mutateParams(oneOf(random, templates), random);
    const path = join(dir, `p${id}.json`);
    writeFileSync(path, bytes);
    const roll = pick(random, 4);
    const argv =
      roll === 0 ? ['predict', '--params', path, '--schedule', oneOf(random, GOOD_SPECS), '--json']
      : roll === 1 ? ['compare', '--params', path, '--schedule', GOOD_SPECS[0], '--schedule', GOOD_SPECS[1], '--json']
      : roll === 2 ? ['predict', '--params', path, '--schedule', oneOf(random, GOOD_SPECS), '--at', '10000']
      : ['check', '--params', path, `${COSINE_400M}@${COSINE_SPEC}`, '--json'];
    yield { id, kind: 'params', what: names.join(', '), argv, files: [path] };
  }
}

/** A pool of worker processes running cases with a time limit, replaced when they hang, die or grow. */
async function runPool(cases: Iterable<FuzzCase>, total: number, settings: FuzzSettings, onDone: (j: Judged) => void): Promise<void> {
  const workerPath = fileURLToPath(new URL('./worker.js', import.meta.url));
  const iterator = cases[Symbol.iterator]();
  let done = 0;
  const slot = () =>
    new Promise<void>((resolve) => {
      let worker: ChildProcess | undefined;
      let jobs = 0;
      const spawnWorker = () => {
        worker = fork(workerPath, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], execArgv: [] });
        jobs = 0;
      };
      const next = () => {
        const item = iterator.next();
        if (item.done) {
          worker?.kill();
          resolve();
          return;
        }
        const c = item.value;
        if (!worker || jobs >= 500) {
          worker?.kill();
          spawnWorker();
        }
        jobs++;
        const current = worker!;
        const finish = (j: Judged) => {
          clearTimeout(timer);
          current.removeAllListeners('message');
          current.removeAllListeners('exit');
          done++;
          onDone(j);
          if (process.stderr.isTTY) process.stderr.write(`\r${done}/${total} cases`);
          next();
        };
        const timer = setTimeout(() => {
          current.kill('SIGKILL');
          worker = undefined;
          finish({ ...c, code: 'hang', ms: settings.timeoutMs, rssMB: 0, failure: `still running after ${settings.timeoutMs / 1000} s`, stderr: '' });
        }, settings.timeoutMs);
        current.once('exit', () => {
          worker = undefined;
          finish({ ...c, code: 'died', ms: 0, rssMB: 0, failure: 'the worker process died', stderr: '' });
        });
        current.on('message', (o: FuzzOutcome) => {
          const grew = o.rssAfterMB > settings.maxRssMB && o.rssBeforeMB <= settings.maxRssMB;
          const failure = grew ? `peak RSS ${o.rssAfterMB.toFixed(0)} MB > ${settings.maxRssMB} MB` : o.ms > settings.timeoutMs ? `took ${(o.ms / 1000).toFixed(1)} s` : judge(c.argv, o.code, o.stdout, o.stderr);
          if (o.rssAfterMB > settings.maxRssMB * 0.6) {
            current.kill(); // a fresh process, so the next case's peak is its own
            worker = undefined;
          }
          finish({ ...c, code: o.code, ms: o.ms, rssMB: o.rssAfterMB, stderr: o.stderr, ...(failure ? { failure } : {}) });
        });
        current.send({ id: c.id, argv: c.argv } satisfies FuzzJob);
      };
      next();
    });
  await Promise.all(Array.from({ length: settings.jobs }, slot));
  if (process.stderr.isTTY) process.stderr.write('\n');
}

/** Table rows of the hostile cases, by issue 23 item. */
const HOSTILE_ROWS: Record<string, string> = {
  'hostile 1': 'hostile 1: stdout on a full disk',
  'hostile 2': 'hostile 2: JSON nested deep',
  'hostile 3': 'hostile 3: optimize sizes',
  'hostile 4': 'hostile 4: /dev/zero',
  'hostile 5': 'hostile 5: empty file names',
  'hostile 6': 'hostile 6: absurd numbers',
  'hostile 7': 'hostile 7: output = input',
  'hostile 8': 'hostile 8: absurd losses',
  'hostile 9': 'hostile 9: big, changing, piped',
  'hostile 10': 'hostile 10: suggest pilots files',
};

/** Runs the hostile shell cases (hostile.ts) `jobs` at a time, each judged by judge.ts and its own expectations. */
async function runHostile(settings: FuzzSettings, dir: string, base: { momentum: string; mpl: string }, firstId: number, record: (j: Judged, command: string) => void): Promise<void> {
  if (settings.hostile <= 0) return;
  const inputs = { dir: join(dir, 'hostile'), log: COSINE_400M, spec: COSINE_SPEC, params: base };
  mkdirSync(inputs.dir, { recursive: true });
  const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(`${ROOT}bin/losscast.js`)}`;
  const cases = [...hostileCases(seededRandom(settings.seed + 1), inputs, settings.hostile, firstId)];
  const hashes = new Map(cases.flatMap((c) => (c.unchanged ?? []).map((f) => [f, fileHash(f)] as const)));
  await runLimited(cases, settings.jobs, (c) => runShell(c.command.replaceAll('LOSSCAST', cli), ROOT, settings.timeoutMs), (c: HostileCase & { id: number }, o) => {
    const failure =
      o.code === 'hang' ? `still running after ${settings.timeoutMs / 1000} s`
      : c.silent ? (o.code === 1 ? undefined : `exit ${o.code}, expected 1`)
      : (judge(c.command.split(' '), o.code, o.stdout, o.stderr) ?? judgeHostile(c, o.code, o.stderr, hashes));
    record({ id: c.id, kind: `hostile ${c.item}`, what: c.what, argv: [], files: c.files, code: o.code, ms: o.ms, rssMB: 0, stderr: o.stderr, ...(failure ? { failure } : {}) }, c.command.replaceAll('LOSSCAST', 'node bin/losscast.js'));
  });
}

/** Runs the fuzz; returns the number of failing cases. */
export async function fuzz(settings: FuzzSettings, print: (text: string) => void = (t) => process.stdout.write(`${t}\n`)): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'losscast-fuzz-'));
  const started = performance.now();
  try {
    const base = baseParams(dir);
    const total = settings.logs + settings.specs + settings.params;
    const stats = new Map<string, { cases: number; exits: Map<string, number>; failures: number; maxMs: number; maxRss: number }>();
    const failures: Judged[] = [];
    /** Counts a judged case; keeps a failing one's inputs and the command that reproduces it. */
    const record = (j: Judged, command: string) => {
      const s = stats.get(j.kind) ?? { cases: 0, exits: new Map(), failures: 0, maxMs: 0, maxRss: 0 };
      stats.set(j.kind, s);
      s.cases++;
      s.exits.set(String(j.code), (s.exits.get(String(j.code)) ?? 0) + 1);
      s.maxMs = Math.max(s.maxMs, j.ms);
      s.maxRss = Math.max(s.maxRss, j.rssMB);
      if (j.failure) {
        s.failures++;
        failures.push(j);
        const keep = join(settings.keep, `case-${j.id}`);
        mkdirSync(keep, { recursive: true });
        for (const f of j.files) copyFileSync(f, join(keep, basename(f)));
        writeFileSync(join(keep, 'command.txt'), `${j.failure}\n${j.files.reduce((text, f) => text.replaceAll(f, join(keep, basename(f))), command)}\n${j.stderr}`);
      } else for (const f of j.files) rmSync(f, { force: true });
    };
    await runPool(makeCases(settings, dir, base), total, settings, (j) => record(j, `node bin/losscast.js ${j.argv.map((a) => JSON.stringify(a)).join(' ')}`));
    await runHostile(settings, dir, base, total, record);
    const kinds: Record<string, string> = { log: 'mutated logs', spec: 'schedule specs', params: 'params files', ...HOSTILE_ROWS };
    const rows = Object.keys(kinds).flatMap((kind) => {
      const s = stats.get(kind);
      if (!s) return [];
      const exit = (code: string) => String(s.exits.get(code) ?? 0);
      return [[kinds[kind], String(s.cases), exit('0'), exit('1'), exit('2'), exit('3'), exit('4'), String((s.exits.get('hang') ?? 0) + (s.exits.get('died') ?? 0)), String(s.failures), `${(s.maxMs / 1000).toFixed(1)} s`, s.maxRss > 0 ? `${s.maxRss.toFixed(0)} MB` : '—']];
    });
    print(renderTable(['input', 'cases', 'exit 0', 'exit 1', 'exit 2', 'exit 3', 'exit 4', 'hang/died', 'failures', 'slowest', 'peak RSS'], rows, { align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'] }));
    print(`seed ${settings.seed}, ${settings.jobs} workers, limits ${settings.timeoutMs / 1000} s and ${settings.maxRssMB} MB per case, ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
    print('exit 1 bad data, 2 usage error, 3 check failed, 4 no valid prediction: each a one-line error. A failure is an internal error, a stack trace, a raw control character, invalid JSON, a negative or missing loss, a hang or too much memory.');
    for (const f of failures.slice(0, 30)) print(`FAIL [${f.kind}] ${f.failure}: ${f.what} — ${join(settings.keep, `case-${f.id}`, 'command.txt')}`);
    if (failures.length > 30) print(`… and ${failures.length - 30} more in ${settings.keep}/`);
    return failures.length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  fuzz(parseArgs(process.argv.slice(2))).then(
    (failures) => {
      process.exitCode = failures > 0 ? 1 : 0;
    },
    (err) => {
      process.stderr.write(`fuzz: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
