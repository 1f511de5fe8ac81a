/**
 * HTML reports in a real browser (headless Chromium through playwright-core; `.ci/run` installs
 * Debian's chromium when it is missing): every kind of report opens without a console error,
 * has the charts and series it should, with non-empty paths inside their plot areas, and tables
 * whose numbers are the --json output's. A screenshot of each, light and dark, is saved under
 * test-artifacts/screenshots/ (git-ignored) for a person to look at.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pBestTexts } from '../src/render/percent.js';
import { FIXTURES, ROOT, runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'losscast-html-'));
const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');
const M = `${FIXTURES}mpl-400M/`;
const COS = `${M}cosine_24000.csv@cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5`;
const CONST = `${M}constant_24000.csv@constant:peak=3e-4,warmup=2160,total=24000`;
const TWO = `${M}wsdcon_9.csv@twostage:peak=3e-4,warmup=2160,total=16000,switch=8000,second=9e-5`;
const CANDIDATES = ['wsd:peak=3e-4,warmup=2160,total=24000,decay=4000,shape=exponential,final=3e-5', 'wsd:peak=3e-4,warmup=2160,total=24000,decay=4000,shape=linear,final=3e-5', 'cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5', 'step811:peak=3e-4,warmup=2160,total=24000'];

/** The Chromium to drive: $LOSSCAST_CHROMIUM, or Debian's chromium on the PATH. */
function chromiumPath(): string {
  if (process.env.LOSSCAST_CHROMIUM) return process.env.LOSSCAST_CHROMIUM;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      // not this one
    }
  }
  throw new Error('no Chromium found: install Debian\'s chromium package (.ci/run does) or set LOSSCAST_CHROMIUM to its path');
}

/** Runs a command with --html (and --json for the numbers to check); returns the report path and the JSON. */
function report(name: string, args: string[]): { path: string; json: Record<string, unknown> } {
  const path = join(dir, `${name}.html`);
  const r = runCli([...args, '--html', path, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return { path, json: JSON.parse(r.stdout) };
}

let browser: Browser;
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** Opens a report: no console error, the charts it should have, every series path non-empty and inside its plot; screenshots light and dark. */
async function open(name: string, path: string, charts: number): Promise<Page> {
  for (const scheme of ['dark', 'light'] as const) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, colorScheme: scheme });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`file://${path}`);
    expect(errors).toEqual([]);
    expect(await page.locator('svg.chart').count()).toBe(charts);
    const plots = await page.$$eval('svg.chart g.plot', (groups) =>
      groups.map((g) => {
        const frame = (g.nextElementSibling as SVGGraphicsElement).getBBox();
        return Array.from(g.querySelectorAll('path.series, g.series-dots')).map((p) => {
          const box = (p as SVGGraphicsElement).getBBox();
          const inside = box.x + box.width >= frame.x && box.x <= frame.x + frame.width && box.y + box.height >= frame.y && box.y <= frame.y + frame.height;
          return { d: (p.getAttribute('d') ?? (p.children.length > 0 ? 'dots' : '')).length, inside };
        });
      }),
    );
    expect(plots.length).toBeGreaterThanOrEqual(charts);
    for (const series of plots) {
      expect(series.length).toBeGreaterThan(0);
      for (const s of series) {
        expect(s.d).toBeGreaterThan(0);
        expect(s.inside).toBe(true);
      }
    }
    await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`), fullPage: true });
    if (scheme === 'light') return page;
    await page.close();
  }
  throw new Error('unreachable');
}

/** The text of every cell of a table's column, by header. */
async function column(page: Page, table: string, header: string): Promise<string[]> {
  return page.$$eval(
    `table#${table}`,
    (tables, h) => {
      const t = tables[0] as HTMLTableElement;
      const index = Array.from(t.tHead!.rows[0].cells).findIndex((c) => c.textContent === h);
      return Array.from(t.tBodies[0].rows).map((r) => r.cells[index].textContent ?? '');
    },
    header,
  );
}

describe('HTML reports in headless Chromium', { timeout: 180_000 }, () => {
  it('fit: the law, its intervals, and each run with residuals and LR; the table is the JSON', async () => {
    const { path, json } = report('fit', ['fit', COS, CONST, TWO, '--model', 'momentum']);
    const page = await open('fit', path, 3);
    expect(await page.$$eval('svg.chart', (s) => s.map((x) => x.getAttribute('data-panels')))).toEqual(['3', '3', '3']);
    const values = await column(page, 'params', 'value');
    const params = json.params as Record<string, number>;
    expect(values.map(Number)).toEqual(Object.values(params).map((v) => Number(v.toPrecision(5))).map((v, i) => (i === 4 ? Number(params.lambda.toPrecision(6)) : v)));
    expect((await column(page, 'runs', 'final obs')).map(Number)).toEqual((json.runs as { finalObserved: number }[]).map((r) => Number(r.finalObserved.toFixed(4))));
    // the residual panels share one scale, so the runs' misfits compare at a glance
    const residualTicks = await page.$$eval('svg.chart', (charts) => charts.map((c) => Array.from(c.querySelectorAll('text.axis-label[text-anchor="end"]'), (t) => t.textContent).filter((t) => t!.startsWith('+')).join(' ')));
    expect(residualTicks[0]).not.toBe('');
    expect(new Set(residualTicks).size).toBe(1);
    await page.close();
  });

  it('compare of the public 400M runs: under 1 MB, every candidate with its band, the ranking equal to --json', async () => {
    // the page's structure, not the law, is under test: the momentum law and a small bootstrap keep it cheap
    const { path, json } = report('compare', ['compare', '--fit', COS, '--fit', CONST, '--fit', TWO, '--model', 'momentum', '--samples', '50', ...CANDIDATES.flatMap((c) => ['--schedule', c])]);
    expect(statSync(path).size).toBeLessThan(1 << 20);
    const page = await open('compare', path, 2);
    const ranking = json.ranking as { name: string; finalLoss: number; pBest: number }[];
    // losses rounded to what the intervals support (3 or 4 decimals), P(best) rounded to sum to 100 %
    const losses = await column(page, 'ranking', 'final loss');
    losses.forEach((text, i) => expect(Math.abs(Number(text) - ranking[i].finalLoss)).toBeLessThanOrEqual(0.5 * 10 ** -(text.split('.')[1].length) + 1e-12));
    expect(await column(page, 'ranking', 'P(best)')).toEqual(pBestTexts(ranking.map((r) => r.pBest)));
    expect(await page.locator('svg.chart').first().locator('path.band').count()).toBe(4);
    expect(await page.locator('svg.chart').first().locator('path.series').count()).toBe(8); // 4 losses, 4 LRs
    await page.close();
  });

  it('predict, evaluate, optimize', async () => {
    const params = join(dir, 'params.json');
    expect(runCli(['fit', COS, CONST, TWO, '--model', 'momentum', '--samples', '20', '-o', params]).code).toBe(0);
    const predicted = report('predict', ['predict', '--params', params, '--schedule', 'wsd:peak=3e-4,warmup=2160,total=72000,decay=0.2', '--at', '24000,48000']);
    const p = await open('predict', predicted.path, 1);
    const shown = (await column(p, 'prediction', 'predicted loss'))[0]; // rounded to what the band supports
    expect(Math.abs(Number(shown) - (predicted.json.finalLoss as number))).toBeLessThanOrEqual(0.5 * 10 ** -shown.split('.')[1].length + 1e-12);
    await p.close();
    const evaluated = report('evaluate', ['evaluate', `${ROOT}bench/accuracy/mpl-25M.json`, '--model', 'momentum', '--samples', '20']);
    const e = await open('evaluate', evaluated.path, 6);
    expect((await column(e, 'averages', 'value'))[1]).toBe(((evaluated.json.average as { mae: number }).mae).toFixed(5));
    await e.close();
    const optimized = report('optimize', ['optimize', '--params', params, '--total', '24000']);
    const o = await open('optimize', optimized.path, 2);
    expect((await column(o, 'optimum-momentum', 'final loss'))[0]).toBe(((optimized.json.best as { finalLoss: number }).finalLoss).toFixed(4));
    await o.close();
  });

  it('demo --html', async () => {
    const path = join(dir, 'demo.html');
    expect(runCli(['demo', '--html', path, '--no-chart', '--samples', '50']).code).toBe(0);
    expect(existsSync(path)).toBe(true);
    const page = await open('demo', path, 5); // three fitted runs, the candidates and their zoom
    // the decision first, and it names the real run that ends outside its interval (WSD exp: 2.7222 observed, the review's finding)
    expect(await page.evaluate(() => Boolean(document.querySelector('#decision')!.compareDocumentPosition(document.querySelector('svg.chart')!) & Node.DOCUMENT_POSITION_FOLLOWING))).toBe(true);
    expect(await page.locator('#decision .misses').innerText()).toMatch(/^\d of 4 real runs end outside their 90 % interval: .*WSD exp observed 2\.7222 against/);
    // the four real runs are drawn over the predictions, each in its schedule's colour, and in the table
    const observed = page.locator('svg.chart').first().locator('g.series-dots[data-series^="observed: "]');
    expect(await observed.count()).toBe(4);
    expect((await column(page, 'ranking', 'observed')).filter(Boolean)).toHaveLength(4);
    await page.close();
  });
});
