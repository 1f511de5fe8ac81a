/**
 * docs/api.md cannot rot: every ```ts block in it is run with Node, as written (its types
 * stripped by TypeScript's transpiler; the same `import … from 'losscast'` a user writes,
 * resolved to this package), from the repository root: all of them in one Node process, one
 * after another (helpers/run-examples.mjs), each with its own output. test/package.test.ts
 * compiles the same blocks with `tsc --strict` against the packed package.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

const DOC = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
const examples = [...DOC.matchAll(/^## (.+)$|^```ts\n([\s\S]*?)^```$/gm)].reduce<{ section: string; code: string }[]>((out, m, _i, _all) => {
  if (m[1]) out.push({ section: m[1], code: '' });
  else if (out.length > 0) out.push({ section: out[out.length - 1].section, code: m[2] });
  return out;
}, []).filter((e) => e.code !== '');

describe('docs/api.md: every example runs', { timeout: 120_000 }, () => {
  it('has examples for reading, fitting, predicting, comparing, optimising, evaluating and reports', () => {
    const sections = new Set(examples.map((e) => e.section));
    for (const s of ['Read any log', 'Fit each law, with intervals', 'Predict a schedule', 'Compare schedules', 'Optimise a schedule', 'Evaluate on held-out runs', 'Write an HTML report']) expect(sections).toContain(s);
  });

  // inside the package, so 'losscast' resolves to it the way it does for a user (package self-reference)
  const dir = join(ROOT, 'test-artifacts', 'api');
  const files = examples.map((e, i) => {
    const file = join(dir, `example-${i + 1}.mjs`);
    return { file, code: ts.transpileModule(e.code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText };
  });
  let results: { file: string; stdout: string; stderr: string; error: string | null }[] = [];
  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    for (const f of files) writeFileSync(f.file, f.code);
    const r = spawnSync(process.execPath, [join(ROOT, 'test', 'helpers', 'run-examples.mjs'), ...files.map((f) => f.file)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    results = JSON.parse(r.stdout);
  });
  examples.forEach((e, i) => {
    it(`${e.section} (example ${i + 1})`, () => {
      const r = results.find((x) => x.file === files[i].file)!;
      expect(r.error).toBeNull();
      expect(r.stderr).toBe('');
      expect(r.stdout.trim().length).toBeGreaterThan(0);
    });
  });
});
