/**
 * A fitted law as predict/compare/check use it: the model (law, parameters, settings) plus
 * what is needed to judge a prediction honestly (the peak LRs it was fitted at, its own error,
 * and the fit's warnings about parameters it could not pin down).
 */
import { readFileSync } from 'node:fs';
import type { Run } from '../core/run.js';
import { dataError } from '../errors.js';
import { DEFAULT_LAMBDA } from '../law/momentum/law.js';
import { LAWS, lawByName } from '../law/registry.js';
import type { FitResult, Law, Model } from '../law/types.js';
import type { Warning } from '../warnings.js';
import type { Uncertainty } from './uncertainty.js';

/** What predictions need from a fit. */
export interface FittedLaw {
  model: Model;
  /** Peak LR of each fitted run. */
  peakLrs: number[];
  /** Root-mean-square error of the fit on its own points (loss units). */
  rmse: number;
  /** Warnings of the fit that every prediction from it should repeat (param-at-bound, …). */
  notes: Warning[];
  /** The fit's bootstrap, when it was made: predictions from it come with intervals. */
  uncertainty?: Uncertainty;
}

/** Warning codes of a fit that predictions made from it repeat. */
const REPEATED = new Set(['param-at-bound', 'interval-at-bound', 'c-not-identifiable', 'annealing-not-identifiable', 'poor-fit']);

/** A FittedLaw from a fit just made (with its bootstrap, when one was made). */
export function lawFromFit(fit: FitResult, runs: readonly Run[], uncertainty?: Uncertainty, notes: readonly Warning[] = fit.notes): FittedLaw {
  return { model: fit.model, peakLrs: runs.map((r) => r.lr.peak), rmse: fit.metrics.rmse, notes: notes.filter((n) => REPEATED.has(n.code)), ...(uncertainty ? { uncertainty } : {}) };
}

/** The Law object of a fitted law. */
export function lawOf(fitted: FittedLaw | Model): Law {
  return lawByName('model' in fitted ? fitted.model.law : fitted.law);
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Reads a params file written by `losscast fit -o` (or a bare {L0, A, alpha, C, lambda} object). */
export function readParamsFile(path: string): FittedLaw {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw dataError('no such params file; make one with losscast fit LOG -o FILE', path);
    throw dataError(`is not a params file (${code ?? (err as Error).message}); make one with losscast fit LOG -o FILE`, path);
  }
  if (doc.schemaVersion !== undefined && doc.schemaVersion !== 1) throw dataError(`params file has schemaVersion ${doc.schemaVersion}; this losscast reads version 1`, path);
  // files written before the Multi-Power Law existed have no "model": they hold a momentum-law fit
  const name = typeof doc.model === 'string' ? doc.model : 'momentum-law';
  const law = LAWS.find((l) => l.jsonName === name || l.name === name);
  if (!law) throw dataError(`params file has model ${JSON.stringify(name)}; this losscast reads ${LAWS.map((l) => l.jsonName).join(' and ')}`, path);
  const p = (doc && typeof doc.params === 'object' ? doc.params : doc) as Record<string, unknown>;
  const params: Record<string, number> = {};
  for (const spec of law.params) {
    const value = num(p?.[spec.name]) ?? (spec.name === 'lambda' ? DEFAULT_LAMBDA : undefined);
    if (value === undefined) throw dataError(`params file has no numeric "${spec.name}" for the ${law.title}; make one with losscast fit LOG -o FILE`, path);
    params[spec.name] = value;
  }
  const runs = Array.isArray(doc.runs) ? (doc.runs as Record<string, unknown>[]) : [];
  const metrics = (doc.metrics ?? {}) as Record<string, unknown>;
  const settings = (doc.settings ?? {}) as Record<string, unknown>;
  const warnings = Array.isArray(doc.warnings) ? (doc.warnings as Warning[]) : [];
  const model: Model = { law: law.name, params, settings: { warmupAsPeak: settings.warmupAsPeak === true, ...(settings.warmup === 'paper' || settings.warmup === 'released' ? { warmup: settings.warmup } : {}) } };
  const uncertainty = readBootstrap(doc.bootstrap, law, model, path);
  return {
    model,
    peakLrs: runs.map((r) => num(r?.peakLr)).filter((v): v is number => v !== undefined),
    rmse: num(metrics.rmse) ?? 0,
    notes: warnings.filter((w) => typeof w?.code === 'string' && typeof w?.message === 'string' && REPEATED.has(w.code)),
    ...(uncertainty ? { uncertainty } : {}),
  };
}

/** The bootstrap a params file carries (`bootstrap.params`: one row of the law's parameters per resample), or undefined. */
function readBootstrap(raw: unknown, law: Law, model: Model, path: string): Uncertainty | undefined {
  if (raw === undefined || raw === null) return undefined;
  const b = raw as Record<string, unknown>;
  const rows = Array.isArray(b.params) ? b.params : [];
  const width = law.params.length;
  if (rows.length === 0 || !rows.every((row) => Array.isArray(row) && row.length === width && row.every((v) => typeof v === 'number' && Number.isFinite(v)))) {
    throw dataError(`params file has a "bootstrap" whose "params" is not a list of ${width}-number rows; refit with losscast fit … -o FILE`, path);
  }
  const level = num(b.level) ?? 0.9;
  const noiseFloor = num(b.noiseFloor) ?? 0.002;
  return {
    models: (rows as number[][]).map((row) => ({ ...model, params: Object.fromEntries(law.params.map((s, k) => [s.name, row[k]])) })),
    samples: rows.length,
    seed: num(b.seed) ?? 1,
    level,
    noiseFloor,
    scatter: num(b.scatter) ?? 0,
    method: b.method === 'blocks' ? 'blocks' : 'runs+blocks',
  };
}
