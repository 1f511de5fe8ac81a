/**
 * Run manifests for `evaluate`: a JSON or YAML list of runs, each a log file with optional
 * schedule, series, role (train/test), label, format and step window. Paths are relative to
 * the manifest (or absolute).
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { dataError, LosscastError } from '../errors.js';
import type { Run, SeriesName } from '../core/run.js';
import { prepareRun } from './prepare-run.js';
import { parseSchedule } from '../schedule/schedule.js';
import type { Series } from '../core/curve.js';
import { labelFor, loadCurve } from './load-run.js';
import { readStructuredFile } from './structured-file.js';

/** The role of a run in an evaluation: fitted, held out, or held out and ranked against the other candidates of its group. */
export type Role = 'train' | 'test' | 'candidate';

/** One manifest entry, checked, with its path resolved. */
export interface ManifestEntry {
  file: string;
  label: string;
  role: Role;
  schedule?: string;
  series?: SeriesName;
  format?: string;
  run?: string;
  prefix?: string;
  /** Only points at or before this step are used (e.g. the MPL protocol drops step 24000). */
  toStep?: number;
  /** Candidates: the observed final loss to rank by (e.g. a full validation pass after the last step); default the last logged loss. */
  finalLoss?: number;
  /** Candidates: the group ranked together (default: the schedule's length). */
  group?: string;
}

/** A manifest: where it was read from and its runs, in order. */
export interface Manifest {
  path: string;
  description?: string;
  runs: ManifestEntry[];
}

function entryName(i: number, label?: string): string {
  return `run ${i + 1}${label !== undefined ? ` ("${label}")` : ''}`;
}

/** Reads and checks a manifest; errors name the manifest and the entry. */
export function readManifest(path: string): Manifest {
  const doc = readStructuredFile(path, 'manifest');
  const list = Array.isArray(doc) ? doc : (doc as { runs?: unknown } | null)?.runs;
  if (!Array.isArray(list) || list.length === 0) {
    throw dataError('has no runs; expected {"runs": [{"file": "run.csv", "schedule": "cosine:...", "role": "train"}]}', path);
  }
  const base = dirname(path);
  const labels = new Set<string>();
  const runs = list.map((raw, i): ManifestEntry => {
    const e = (typeof raw === 'string' ? { file: raw } : raw) as Record<string, unknown>;
    const label = typeof e?.label === 'string' ? e.label : undefined;
    const fail = (message: string) => dataError(`${entryName(i, label)}: ${message}`, path);
    if (e === null || typeof e !== 'object') throw fail('is not an object with a "file"');
    if (typeof e.file !== 'string' || e.file === '') throw fail('has no "file"');
    const file = isAbsolute(e.file) ? e.file : resolve(base, e.file);
    if (!existsSync(file)) throw fail(`no such file ${e.file} (paths are relative to the manifest)`);
    const role = e.role ?? 'train';
    if (role !== 'train' && role !== 'test' && role !== 'candidate') throw fail(`role must be "train", "test" or "candidate", not ${JSON.stringify(role)}`);
    if (e.finalLoss !== undefined && !(typeof e.finalLoss === 'number' && Number.isFinite(e.finalLoss) && e.finalLoss > 0)) throw fail('"finalLoss" must be a positive number (the observed final loss)');
    if (e.group !== undefined && typeof e.group !== 'string') throw fail('"group" must be a string');
    if (role === 'candidate' && typeof e.schedule !== 'string') throw fail('a candidate needs its "schedule" (the ranking predicts the schedule to its end)');
    if (e.series !== undefined && e.series !== 'train' && e.series !== 'eval') throw fail(`series must be "train" or "eval", not ${JSON.stringify(e.series)}`);
    if (e.schedule !== undefined && typeof e.schedule !== 'string') throw fail('"schedule" must be a spec string such as "cosine:peak=3e-4,warmup=2000,total=24000"');
    if (typeof e.schedule === 'string') {
      try {
        parseSchedule(e.schedule);
      } catch (err) {
        if (err instanceof LosscastError) throw fail(`bad schedule: ${err.message}`);
        throw err;
      }
    }
    if (e.toStep !== undefined && !(typeof e.toStep === 'number' && Number.isInteger(e.toStep) && e.toStep >= 0)) throw fail('"toStep" must be a whole number');
    for (const key of ['format', 'run', 'prefix'] as const) if (e[key] !== undefined && typeof e[key] !== 'string') throw fail(`"${key}" must be a string`);
    const finalLabel = label ?? labelFor(file);
    if (labels.has(finalLabel)) throw fail(`label "${finalLabel}" is used twice; give each run its own "label"`);
    labels.add(finalLabel);
    return {
      file,
      label: finalLabel,
      role,
      ...(typeof e.schedule === 'string' ? { schedule: e.schedule } : {}),
      ...(e.series !== undefined ? { series: e.series as SeriesName } : {}),
      ...(typeof e.format === 'string' ? { format: e.format } : {}),
      ...(typeof e.run === 'string' ? { run: e.run } : {}),
      ...(typeof e.prefix === 'string' ? { prefix: isAbsolute(e.prefix) ? e.prefix : resolve(base, e.prefix) } : {}),
      ...(typeof e.toStep === 'number' ? { toStep: e.toStep } : {}),
      ...(typeof e.finalLoss === 'number' ? { finalLoss: e.finalLoss } : {}),
      ...(typeof e.group === 'string' ? { group: e.group } : {}),
    };
  });
  const description = (doc as { description?: unknown })?.description;
  return { path, ...(typeof description === 'string' ? { description } : {}), runs };
}

/** Throws when a train/test split is impossible: no run to fit, or none held out (before any log is read). */
export function requireSplit(manifest: Manifest): void {
  const roles = manifest.runs.map((r) => r.role);
  if (!roles.includes('train')) throw dataError('no run has role "train"; mark the runs to fit with "role": "train" (runs without a role are train runs)', manifest.path);
  if (!roles.includes('test') && !roles.includes('candidate')) throw dataError('no run has role "test" or "candidate"; mark held-out runs with "role": "test" (or "candidate" to rank them), or use --leave-one-out', manifest.path);
}

function upTo(series: Series | null, step: number): Series | null {
  if (!series) return null;
  const n = series.steps.filter((s) => s <= step).length;
  return n === 0 ? null : { steps: series.steps.slice(0, n), values: series.values.slice(0, n) };
}

/** Loads one manifest entry as a Run; errors name the manifest entry. */
export async function loadManifestRun(manifest: Manifest, index: number): Promise<Run> {
  const entry = manifest.runs[index];
  try {
    let curve = await loadCurve(entry.file, { format: entry.format, run: entry.run, prefix: entry.prefix });
    if (entry.toStep !== undefined) curve = { ...curve, train: upTo(curve.train, entry.toStep), eval: upTo(curve.eval, entry.toStep) };
    return prepareRun({ curve, schedule: entry.schedule !== undefined ? parseSchedule(entry.schedule) : undefined, series: entry.series, label: entry.label });
  } catch (err) {
    if (err instanceof LosscastError) throw new LosscastError(`${manifest.path}: ${entryName(index, entry.label)}: ${err.message}`, err.exitCode);
    throw err;
  }
}
