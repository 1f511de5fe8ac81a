/**
 * Judging one fuzz outcome: a clean exit code, one-line errors without stack traces or raw
 * control characters, valid JSON, parameters that are finite numbers, and no loss that is not
 * a loss (negative or non-finite) anywhere in what was printed.
 */

/** The exit codes losscast documents (0 ok, 1 bad data, 2 usage, 3 check failed, 4 no prediction). */
const CLEAN_EXITS = new Set([0, 1, 2, 3, 4]);

/** Keys whose numbers are losses, or bounds of an interval of losses or of (non-negative) parameters. */
const LOSS_KEY = /loss$|^(lo|hi)$|^(observed|predicted|fitted)$/i;

/** Why an outcome is a failure, or undefined when it is fine. */
export function judge(argv: readonly string[], code: number, stdout: string, stderr: string): string | undefined {
  if (/internal error/.test(stderr)) return 'internal error';
  if (!CLEAN_EXITS.has(code)) return `exit code ${code}`;
  if (/\n\s+at .*:\d+:\d+/.test(stderr)) return 'stack trace on stderr';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]/.test(stderr) || /\x1b(?!\[[0-9;]*m)/.test(stderr)) return 'raw control character on stderr';
  if (code !== 0) {
    const lines = stderr.trimEnd().split('\n');
    const last = lines[lines.length - 1] ?? '';
    if (!last.startsWith('losscast: ')) return 'error without a "losscast:" line';
  }
  if (code === 0 && argv.includes('--json')) {
    let doc: unknown;
    try {
      doc = JSON.parse(stdout);
    } catch {
      return 'invalid JSON on stdout';
    }
    const params = (doc as { params?: Record<string, unknown> }).params;
    if (params && Object.values(params).some((v) => typeof v !== 'number' || !Number.isFinite(v))) return `a parameter that is not a finite number: ${JSON.stringify(params)}`;
    const bad = badLoss(doc);
    if (bad) return bad;
  }
  if (code === 0 && argv.includes('--csv')) {
    const rows = stdout.trim().split('\n');
    const column = (rows[0] ?? '').split(',').indexOf('loss');
    for (const row of rows.slice(1)) {
      const value = Number(row.split(',')[column]);
      if (!(value >= 0) || !Number.isFinite(value)) return `CSV loss ${row.split(',')[column]}`;
    }
  }
  if (code === 0 && !argv.includes('--json') && !argv.includes('--csv') && /(^|[\s(=:])(NaN|-?Infinity)(?=[\s,)%]|$)(?! or )/m.test(stdout)) return 'NaN or Infinity printed';
  return undefined;
}

/** The first loss in a JSON document that is not a loss: negative, or null without a stated problem. */
function badLoss(doc: unknown, path = ''): string | undefined {
  if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) {
      const bad = badLoss(doc[i], `${path}[${i}]`);
      if (bad) return bad;
    }
    return undefined;
  }
  if (!doc || typeof doc !== 'object') return undefined;
  const record = doc as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (key === 'gapInterval' || key === 'gap' || key === 'gain') continue; // differences between losses have a sign
    if (LOSS_KEY.test(key) && typeof value === 'number' && !(value >= 0)) return `negative loss ${path}.${key} = ${value}`;
    if (LOSS_KEY.test(key) && value === null && !record.problem && key !== 'lo' && key !== 'hi') return `null loss ${path}.${key} without a problem`;
    const bad = badLoss(value, `${path}.${key}`);
    if (bad) return bad;
  }
  return undefined;
}
