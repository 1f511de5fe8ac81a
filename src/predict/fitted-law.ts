/**
 * A fitted law as predict/compare use it: the parameters plus what is needed to judge a
 * prediction honestly (the peak LRs it was fitted at, its own error, its warmup treatment).
 */
import { readFileSync } from 'node:fs';
import { dataError } from '../errors.js';
import type { FitResult } from '../fit/fit-law.js';
import type { Run } from '../fit/run.js';
import type { LawParams } from '../law/momentum-law.js';

/** What predictions need from a fit. */
export interface FittedLaw {
  params: LawParams;
  /** Peak LR of each fitted run. */
  peakLrs: number[];
  /** Root-mean-square error of the fit on its own points (loss units): the tie tolerance. */
  rmse: number;
  warmupAsPeak: boolean;
}

/** A FittedLaw from a fit just made. */
export function lawFromFit(fit: FitResult, runs: readonly Run[]): FittedLaw {
  return { params: fit.params, peakLrs: runs.map((r) => r.peak), rmse: fit.metrics.rmse, warmupAsPeak: fit.warmupAsPeak };
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
  const p = (doc && typeof doc.params === 'object' ? doc.params : doc) as Record<string, unknown>;
  const params = { L0: num(p?.L0), A: num(p?.A), alpha: num(p?.alpha), C: num(p?.C), lambda: num(p?.lambda) ?? 0.999 };
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) throw dataError(`params file has no numeric "${key}"; make one with losscast fit LOG -o FILE`, path);
  }
  if (doc.schemaVersion !== undefined && doc.schemaVersion !== 1) throw dataError(`params file has schemaVersion ${doc.schemaVersion}; this losscast reads version 1`, path);
  const runs = Array.isArray(doc.runs) ? (doc.runs as Record<string, unknown>[]) : [];
  const metrics = (doc.metrics ?? {}) as Record<string, unknown>;
  const settings = (doc.settings ?? {}) as Record<string, unknown>;
  return {
    params: params as LawParams,
    peakLrs: runs.map((r) => num(r.peakLr)).filter((v): v is number => v !== undefined),
    rmse: num(metrics.rmse) ?? 0,
    warmupAsPeak: settings.warmupAsPeak === true,
  };
}
