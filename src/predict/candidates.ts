/**
 * Candidate schedules for compare: from repeated --schedule, a JSON/YAML candidates file, or
 * a sweep. Sweep syntax: one key of a spec written `LO..HI/STEP`, e.g.
 * `wsd:peak=3e-4,warmup=2160,total=24000,decay=0.05..0.5/0.05`.
 */
import { dataError, usageError } from '../errors.js';
import { readStructuredFile } from '../io/structured-file.js';
import { parseSpec } from '../schedule/spec.js';

/** A named candidate schedule. */
export interface Candidate {
  name: string;
  spec: string;
}

/** Expands a sweep spec into one spec per value of its `LO..HI/STEP` key. */
export function expandSweep(text: string): string[] {
  const parsed = parseSpec(text);
  const swept = [...parsed.values.entries()].filter(([, v]) => v.includes('..'));
  if (swept.length !== 1) throw usageError(`--sweep "${text}": exactly one key must be a range LO..HI/STEP (e.g. decay=0.05..0.5/0.05)`);
  const [key, range] = swept[0];
  const m = /^([^.][^/]*?)\.\.([^/]+)\/(.+)$/.exec(range);
  const lo = Number(m?.[1]);
  const hi = Number(m?.[2]);
  const step = Number(m?.[3]);
  if (!m || !Number.isFinite(lo) || !Number.isFinite(hi) || !(step > 0) || hi < lo) throw usageError(`--sweep "${text}": ${key}=${range} must be LO..HI/STEP with LO ≤ HI and STEP > 0`);
  const count = Math.floor((hi - lo) / step + 1e-9) + 1;
  if (count > 10000) throw usageError(`--sweep "${text}": ${count} values is too many (at most 10000)`);
  return Array.from({ length: count }, (_, i) => {
    const value = Number((lo + i * step).toPrecision(12)); // 0.1 + 2·0.1 prints as 0.3
    return text.replace(`${key}=${range}`, `${key}=${value}`);
  });
}

/**
 * Short names for candidates: the family plus the keys whose values differ between
 * candidates of that family (so a sweep reads "wsd decay=0.1", "wsd decay=0.2").
 */
export function nameCandidates(specs: readonly string[]): Candidate[] {
  const parsed = specs.map(parseSpec);
  const names = parsed.map((p) => {
    const same = parsed.filter((q) => q.family === p.family);
    const differing = [...p.values.entries()].filter(([k, v]) => same.some((q) => q.values.get(k) !== v));
    return [p.family, ...differing.map(([k, v]) => `${k}=${v}`)].join(' ');
  });
  return specs.map((spec, i) => {
    const dupes = names.filter((n) => n === names[i]).length;
    return { name: dupes > 1 ? `${names[i]} #${names.slice(0, i + 1).filter((n) => n === names[i]).length}` : names[i], spec };
  });
}

/** Reads a candidates file: `{ "candidates": [ { "name", "schedule" } ] }`, a bare list, or YAML of the same. */
export function readCandidatesFile(path: string): Candidate[] {
  const doc = readStructuredFile(path, 'candidates file');
  const list = Array.isArray(doc) ? doc : (doc as { candidates?: unknown })?.candidates;
  if (!Array.isArray(list) || list.length === 0) throw dataError('has no candidates; expected {"candidates": [{"name": "...", "schedule": "cosine:..."}]}', path);
  const specs: string[] = [];
  const givenNames: (string | undefined)[] = [];
  list.forEach((entry, i) => {
    if (typeof entry === 'string') {
      specs.push(entry);
      givenNames.push(undefined);
      return;
    }
    const e = entry as { name?: unknown; schedule?: unknown };
    if (typeof e?.schedule !== 'string') throw dataError(`candidate ${i + 1} has no "schedule" string`, path);
    specs.push(e.schedule);
    givenNames.push(typeof e.name === 'string' ? e.name : undefined);
  });
  const auto = nameCandidates(specs);
  return auto.map((c, i) => ({ name: givenNames[i] ?? c.name, spec: c.spec }));
}
