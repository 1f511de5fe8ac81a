/**
 * A new user's first hour (issue 23, items 10 and 11): the package as `npm pack` ships it
 * installs into an empty project and runs `npx losscast demo` there; `npm install -g .` puts
 * `losscast` on the PATH; and every TypeScript block of docs/api.md compiles under `tsc --strict`
 * against the installed package (the blocks are run by test/api-docs.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'losscast-package-'));
const project = join(dir, 'project');
let packed: { filename: string; files: { path: string }[] };

/** Runs a command; fails the test with its stderr when it fails. */
function run(command: string, args: string[], cwd: string) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

beforeAll(() => {
  // dist/ is built by npm test; --ignore-scripts packs it as it is
  packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT).stdout)[0];
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'empty-project', private: true, type: 'module' }));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, packed.filename)], project);
}, 180_000);

describe('10. the packed tarball installs into an empty project and runs', () => {
  it('ships the built library with its types, the CLI, the bundled fixtures and the docs; not the sources or tests', () => {
    const files = packed.files.map((f) => f.path);
    for (const f of ['bin/losscast.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'fixtures/mpl-400M/cosine_24000.csv', 'docs/api.md', 'README.md', 'package.json']) expect(files).toContain(f);
    expect(files.filter((f) => /^(src|test)\//.test(f))).toEqual([]);
  });

  it('npx losscast demo runs there', () => {
    const demo = run('npx', ['losscast', 'demo', '--no-chart', '--samples', '30'], project); // the install is under test, not the bootstrap
    expect(demo.stdout).toMatch(/rank/i);
    expect(demo.stdout).toMatch(/cosine/);
  });

  it('npm install -g . (what npm link does) puts losscast on the PATH', () => {
    const prefix = join(dir, 'global');
    run('npm', ['install', '-g', '--prefix', prefix, '--ignore-scripts', '--no-audit', '--no-fund', '.'], ROOT);
    expect(run(join(prefix, 'bin', 'losscast'), ['--version'], dir).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('the documented install paths are the ones that work: no `npm install -g losscast` from the registry', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const ci = readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8');
    const code = (text: string) => [...text.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].map((m) => m[1]).join('\n');
    for (const text of [readme, ci]) expect(code(text)).not.toMatch(/npm install -g losscast\b/); // named only to say it fails
    expect(readme).toMatch(/npm install -g \./);
    expect(readme).toMatch(/npm pack/);
    expect(ci).toMatch(/npm install -g \./);
  });
});

describe('11. docs/api.md compiles under strict tsc against the installed package', () => {
  it('every ```ts block', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
    const blocks = [...doc.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThanOrEqual(9);
    const examples = join(project, 'examples');
    mkdirSync(examples);
    blocks.forEach((code, i) => writeFileSync(join(examples, `example-${i + 1}.ts`), code));
    const compilerOptions = { strict: true, noEmit: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['examples/*.ts'] }));
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
