/**
 * Reading a params file written by `losscast fit -o` (or a bare {L0, A, alpha, C, lambda} object
 * by hand): validated against the project's own JSON Schema (docs/schema/fit.json) and each law's
 * parameter domains, with one clear error naming the file and the field, never a silently
 * replaced value. Size-capped and decoded like every small document.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { dataError } from '../errors.js';
import { outsideDomain } from '../law/bounds.js';
import { DEFAULT_LAMBDA } from '../law/momentum/law.js';
import { LAWS } from '../law/registry.js';
import type { Law, Model } from '../law/types.js';
import { parseSchedule } from '../schedule/schedule.js';
import { checkDepth } from '../io/json-depth.js';
import { readSmallFile } from '../text/small-file.js';
import type { Warning } from '../warnings.js';
import type { FittedLaw } from './fitted-law.js';
import type { Uncertainty } from './uncertainty.js';
import type { ScheduleShape } from '../verdict/distance.js';
import type { AnnealPrior } from '../verdict/law-error.js';
import type { FoldScore } from '../law/mixture/stacking.js';
import { MEMBERS } from '../law/mixture/members.js';

/** Warning codes of a fit that predictions made from it repeat. */
export const REPEATED = new Set(['param-at-bound', 'param-atypical', 'interval-at-bound', 'c-not-identifiable', 'annealing-not-identifiable', 'poor-fit', 'drop-shape-regularised', 'prior-used']);

/** A params file is a few kB (a few hundred kB with its bootstrap); beyond 16 MiB it is the wrong file. */
const MAX_PARAMS_BYTES = 16 * 1024 * 1024;

let validateFit: ValidateFunction | undefined;

/** The compiled schema of a fit document (docs/schema/fit.json with its shared definitions). */
function fitSchema(): ValidateFunction {
  if (!validateFit) {
    const dir = fileURLToPath(new URL('../../docs/schema/', import.meta.url));
    const ajv = new Ajv2020({ allErrors: false, allowUnionTypes: true, strict: false });
    for (const f of readdirSync(dir).filter((name) => name.endsWith('.json'))) ajv.addSchema(JSON.parse(readFileSync(dir + f, 'utf8')));
    validateFit = ajv.getSchema('https://losscast.dev/schema/v1/fit.json')!;
  }
  return validateFit;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The law a document names ("momentum-law", "multi-power-law", or the CLI names); files without one are momentum-law fits. */
function lawOfDocument(doc: Record<string, unknown>, path: string): Law {
  const name = typeof doc.model === 'string' ? doc.model : 'momentum-law';
  const law = LAWS.find((l) => l.jsonName === name || l.name === name);
  if (!law) throw dataError(`params file has model ${JSON.stringify(name)}; this losscast reads ${LAWS.map((l) => l.jsonName).join(' and ')}`, path);
  return law;
}

/** The parameters of a law read from an object, each checked against the law's domain. */
function readParams(raw: Record<string, unknown>, law: Law, path: string, where: string): Record<string, number> {
  const params: Record<string, number> = {};
  for (const spec of law.params) {
    const value = raw[spec.name];
    if (value === undefined && spec.name === 'lambda') {
      params.lambda = DEFAULT_LAMBDA; // files older than λ in params: the authors' default
      continue;
    }
    if (typeof value !== 'number') throw dataError(`params file: ${where}${spec.name} is ${value === undefined ? 'missing' : JSON.stringify(value)}, not a number; make the file with losscast fit LOG -o FILE`, path);
    const problem = outsideDomain(spec, value);
    if (problem) throw dataError(`params file: ${where}${spec.name} = ${value} ${problem} for the ${law.title}`, path);
    params[spec.name] = value;
  }
  return params;
}

/** The bootstrap a params file carries (`bootstrap.params`: one row of the law's parameters per resample), or undefined. */
function readBootstrap(raw: unknown, law: Law, model: Model, path: string): Uncertainty | undefined {
  if (!isObject(raw)) return undefined;
  const rows = raw.params as number[][];
  const models = rows.map((row, i) => {
    if (row.length !== law.params.length) throw dataError(`params file: bootstrap.params row ${i + 1} has ${row.length} numbers, the ${law.title} has ${law.params.length} parameters`, path);
    const params = readParams(Object.fromEntries(law.params.map((s, k) => [s.name, row[k]])), law, path, `bootstrap.params row ${i + 1}: `);
    return { ...model, params };
  });
  return {
    models,
    samples: models.length,
    seed: raw.seed as number,
    level: raw.level as number,
    noiseFloor: raw.noiseFloor as number,
    scatter: raw.scatter as number,
    method: raw.method as Uncertainty['method'],
  };
}

/** Where the warmup of a run's schedule spec ends (undefined without a spec, or for one this losscast cannot read). */
function warmupOfSpec(spec: string | null): number | undefined {
  if (!spec || spec.startsWith('file:')) return undefined;
  try {
    return parseSchedule(spec).warmupEnd;
  } catch {
    return undefined;
  }
}

/** The first schema error as one sentence. */
function schemaError(validate: ValidateFunction, doc: Record<string, unknown>, path: string): Error {
  // a oneOf (a number or null) reports each branch: the bound that failed says more than "must be null"
  const errors = validate.errors ?? [];
  const e = errors.find((x) => ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'required', 'additionalProperties', 'enum', 'const'].includes(x.keyword)) ?? errors[0];
  if (doc.schemaVersion !== 1 && doc.schemaVersion !== undefined) {
    return dataError(`params file has schemaVersion ${JSON.stringify(doc.schemaVersion)}; this losscast reads schemaVersion 1 (the number)`, path);
  }
  const where = e?.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'the document';
  const detail = e?.keyword === 'additionalProperties' ? `has an unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"` : e?.keyword === 'required' ? `lacks "${(e.params as { missingProperty: string }).missingProperty}"` : (e?.message ?? 'is not valid');
  return dataError(`params file does not match the fit schema: ${where} ${detail}; make the file with losscast fit LOG -o FILE`, path);
}

/** Reads and checks a params file: a `losscast fit -o` document, or a bare parameters object. */
export function readParamsFile(path: string): FittedLaw {
  const text = readSmallFile(path, 'params file', MAX_PARAMS_BYTES);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw dataError(`is not a params file: not valid JSON (${(err as Error).message.split('\n')[0]}); make one with losscast fit LOG -o FILE`, path);
  }
  checkDepth(doc, 'params file', path);
  if (!isObject(doc)) throw dataError('is not a params file: expected a JSON object; make one with losscast fit LOG -o FILE', path);
  const law = lawOfDocument(doc, path);
  if (doc.command === undefined && !isObject(doc.params)) {
    // a bare parameters object written by hand
    const params = readParams(doc, law, path, '');
    return { model: { law: law.name, params, settings: {} }, peakLrs: [], rmse: 0, notes: [] };
  }
  const validate = fitSchema();
  if (!validate(doc)) throw schemaError(validate, doc, path);
  const params = readParams(doc.params as Record<string, unknown>, law, path, 'params.');
  const settings = doc.settings as Record<string, unknown>;
  const model: Model = { law: law.name, params, settings: { warmupAsPeak: settings.warmupAsPeak === true, ...(settings.warmup === 'paper' || settings.warmup === 'released' ? { warmup: settings.warmup } : {}), ...(typeof settings.dropPrior === 'number' ? { dropPrior: settings.dropPrior } : {}), ...(Array.isArray(settings.stacking) ? { stacking: readStacking(settings.stacking as StackingJson[]) } : {}) } };
  const metrics = doc.metrics as Record<string, number | null>;
  const uncertainty = readBootstrap(doc.bootstrap, law, model, path);
  const runs = doc.runs as { peakLr: number; schedule: string | null; warmupEnd?: number; shape?: ScheduleShape }[];
  const shapes = runs.every((r) => r.shape) ? runs.map((r) => r.shape!) : undefined;
  const warmups = runs.map((r) => r.warmupEnd ?? warmupOfSpec(r.schedule)).filter((w): w is number => w !== undefined);
  return {
    model,
    peakLrs: runs.map((r) => r.peakLr),
    ...(warmups.length > 0 ? { warmups } : {}),
    rmse: metrics.rmse ?? 0,
    notes: (doc.warnings as Warning[]).filter((w) => REPEATED.has(w.code)),
    ...(uncertainty ? { uncertainty } : {}),
    ...(shapes ? { fitted: shapes } : {}),
    ...(isObject(doc.annealPrior) ? { annealPrior: doc.annealPrior as unknown as AnnealPrior } : {}),
  };
}

/** A held-out fold as a params file stores it (settings.stacking). */
interface StackingJson {
  kind: FoldScore['kind'];
  label: string;
  points: number;
  errors: Record<string, { rms: number | null; end: number | null }>;
  cross: number;
  spread: number;
}

/** The folds of a mixture's params file, each law's errors in member order. */
function readStacking(folds: readonly StackingJson[]): FoldScore[] {
  const error = (e: { rms: number | null; end: number | null } | undefined) => ({ rms: e?.rms ?? Number.NaN, end: e?.end ?? Number.NaN });
  return folds.map((f) => ({ kind: f.kind, label: f.label, points: f.points, errors: [error(f.errors[MEMBERS[0].name]), error(f.errors[MEMBERS[1].name])], cross: f.cross, spread: f.spread }));
}
