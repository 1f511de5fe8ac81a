// Regenerates the gallery (docs/gallery/*.png, see docs/gallery.md): runs the built CLI on the
// bundled fixtures, then screenshots each HTML report in headless Chromium at 1280 px (desktop)
// and 390 px (phone), light and dark, cut to the first screens (what a reader sees first).
// Usage: npm run build && node docs/gallery/make.mjs   (LOSSCAST_CHROMIUM=/path/to/chromium)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = fileURLToPath(new URL('./', import.meta.url));
// the pages go to test-artifacts/gallery (git-ignored); paths are relative to the repository, so the command lines the pages show are too
const tmp = 'test-artifacts/gallery';
mkdirSync(join(ROOT, tmp), { recursive: true });
const F = 'fixtures/';
const M = `${F}mpl-400M/`;
const COS = `${M}cosine_24000.csv@cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5`;
const CONST = `${M}constant_24000.csv@constant:peak=3e-4,warmup=2160,total=24000`;
const TWO = `${M}wsdcon_9.csv@twostage:peak=3e-4,warmup=2160,total=16000,switch=8000,second=9e-5`;

/** Runs losscast (the built CLI) in the repository at 100 columns (its warnings are in the pages). */
function losscast(...args) {
  execFileSync(process.execPath, ['bin/losscast.js', ...args], { cwd: ROOT, env: { ...process.env, COLUMNS: '100', NO_COLOR: '1' }, stdio: 'ignore' });
}

// the issue's check: the 124M sweep, fitted on two runs, nine 50k-step candidates
const sweep = JSON.parse(readFileSync(`${ROOT}${F}lr-sweep-124m/runs.json`, 'utf8'));
const candidates = join(tmp, 'candidates.json');
writeFileSync(join(ROOT, candidates), JSON.stringify({ candidates: Object.entries(sweep).filter(([name, r]) => r.total === 50000 && name !== 'constant_50000').map(([name, r]) => ({ name, schedule: r.schedule })) }));
const S = `${F}lr-sweep-124m/`;
losscast('compare', '--fit', `${S}constant_50000.val.csv@${sweep.constant_50000.schedule}`, '--fit', `${S}cosine-10pct_25000.val.csv@${sweep['cosine-10pct_25000'].schedule}`, '--from-step', '1000', '--candidates', candidates, '--html', join(tmp, 'compare.html'));
losscast('demo', '--html', join(tmp, 'demo.html'));
// which pilot to train next, on the same two runs (the Multi-Power Law, 4 simulated logs per proposed pilot: a quick page)
losscast('suggest', '--fit', `${S}constant_50000.val.csv@${sweep.constant_50000.schedule}`, '--fit', `${S}cosine-10pct_25000.val.csv@${sweep['cosine-10pct_25000'].schedule}`, '--from-step', '1000', '--candidates', candidates, '--model', 'mpl', '--simulations', '4', '--html', join(tmp, 'suggest.html'));
const params = join(tmp, 'params.json');
losscast('fit', COS, CONST, TWO, '-o', params, '--html', join(tmp, 'fit.html'));
losscast('predict', '--params', params, '--schedule', 'wsd:peak=3e-4,warmup=2160,total=72000,decay=0.2', '--at', '24000,48000', '--tail', '0.3', '--html', join(tmp, 'predict.html'));
losscast('evaluate', 'bench/accuracy/mpl-100M.json', '--html', join(tmp, 'evaluate.html'));
losscast('optimize', '--params', params, '--total', '24000', '--html', join(tmp, 'optimize.html'));
const partial = join(tmp, 'cosine_24000-first-half.csv');
writeFileSync(join(ROOT, partial), readFileSync(`${ROOT}${M}cosine_24000.csv`, 'utf8').split('\n').filter((line, i) => i === 0 || Number(line.split(',')[0]) <= 12000).join('\n'));
losscast('forecast', `${partial}@cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5`, '--html', join(tmp, 'forecast.html'));

/** Which pages at which sizes: every page on a desktop in light; compare and demo also on a phone and in dark. */
const SHOTS = [
  ...['compare', 'demo'].flatMap((page) => [
    { page, device: 'desktop', scheme: 'light' },
    { page, device: 'desktop', scheme: 'dark' },
    { page, device: 'phone', scheme: 'light' },
    { page, device: 'phone', scheme: 'dark' },
  ]),
  ...['fit', 'predict', 'evaluate', 'optimize', 'forecast'].map((page) => ({ page, device: 'desktop', scheme: 'light' })),
  { page: 'evaluate', device: 'phone', scheme: 'dark' },
  { page: 'suggest', device: 'desktop', scheme: 'light' },
  { page: 'suggest', device: 'phone', scheme: 'dark' },
];
const SIZE = { desktop: { width: 1280, height: 1200 }, phone: { width: 390, height: 2000 } };

const browser = await chromium.launch({ executablePath: process.env.LOSSCAST_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const { page: name, device, scheme } of SHOTS) {
  const page = await browser.newPage({ viewport: SIZE[device], colorScheme: scheme });
  await page.goto(`file://${join(ROOT, tmp, `${name}.html`)}`);
  await page.screenshot({ path: join(OUT, `${name}-${device}-${scheme}.png`) });
  await page.close();
}
await browser.close();
// small files: 256 colours are plenty for flat charts (skipped when pngquant is not installed)
try {
  execFileSync('pngquant', ['--force', '--ext', '.png', '--quality', '70-95', '--strip', ...SHOTS.map(({ page, device, scheme }) => join(OUT, `${page}-${device}-${scheme}.png`))]);
} catch {
  console.log('pngquant not found: the screenshots are left as Chromium wrote them');
}
console.log(`wrote ${SHOTS.length} screenshots to ${OUT}`);
