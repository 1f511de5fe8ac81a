/**
 * docs/api.md cannot rot: every ```ts block in it is run with Node, as written (its types
 * stripped by TypeScript's transpiler; the same `import … from 'losscast'` a user writes,
 * resolved to this package), from the repository root. test/package.test.ts compiles the same
 * blocks with `tsc --strict` against the packed package.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
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

  const dir = join(ROOT, 'test-artifacts', 'api');
  mkdirSync(dir, { recursive: true });
  examples.forEach((e, i) => {
    it(`${e.section} (example ${i + 1})`, () => {
      // inside the package, so 'losscast' resolves to it the way it does for a user (package self-reference)
      const file = join(dir, `example-${i + 1}.mjs`);
      writeFileSync(file, ts.transpileModule(e.code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText);
      const r = spawnSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout.trim().length).toBeGreaterThan(0);
    });
  });
});
