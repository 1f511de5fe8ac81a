/**
 * Reports for people (issue 22): the decision leads every page and terminal report, observed runs
 * are judged against their intervals, one colour per schedule, numbers rounded to what intervals
 * support, P(best) summing to 100 %, pages small and legible on a phone, terminal reports within
 * $COLUMNS. Mostly pure functions; one compare of the 124M sweep (the check) is shared.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RankedCandidate, Ranking } from '../src/predict/rank.js';
import { parseSchedule } from '../src/schedule/schedule.js';
import { verdictOf } from '../src/verdict/summary.js';
import { missesText, rankWarnings, unsaidWarnings } from '../src/render/decision.js';
import { gapChart } from '../src/render/html/gap-chart.js';
import { htmlTable } from '../src/render/html/html-table.js';
import { renderPage } from '../src/render/html/page.js';
import { simplify, svgChart } from '../src/render/html/svg-chart.js';
import { gainVerdict, zeroLrTail } from '../src/render/optimize-report.js';
import { colorsByName } from '../src/render/palette.js';
import { pBestTexts, roundedPercents } from '../src/render/percent.js';
import { decimalsFor, readableNumbers } from '../src/render/precision.js';
import { bestBadge, rankingDecimals, rankingPBest } from '../src/render/ranking-format.js';
import { sideBySide } from '../src/render/side-by-side.js';
import { terminalWidth, wrapItems } from '../src/render/style.js';
import { renderTable } from '../src/render/table.js';
import { renderChart } from '../src/render/chart.js';
import { visibleWidth } from '../src/render/layout.js';
import { FIXTURES, runCli } from './helpers/cli.js';

/** A ranked candidate with what the tests set; the rest plausible. */
function ranked(rank: number, name: string, finalLoss: number, extra: Partial<RankedCandidate> = {}): RankedCandidate {
  return { rank, index: rank - 1, name, schedule: 'constant:peak=1e-3,total=100', total: 100, finalLoss, gapToBest: 0, tie: false, warnings: [], ...extra };
}

function ranking(entries: RankedCandidate[]): Ranking {
  const best = entries[0].finalLoss;
  return { ties: { kind: 'interval', tolerance: 0.002, level: 0.9 }, ranking: entries.map((e) => ({ ...e, gapToBest: e.finalLoss - best })) };
}

describe('numbers for people', () => {
  it('P(best) rounds to whole percentages that sum to 100 % (largest remainder), whatever the shares', () => {
    expect(roundedPercents([1 / 3, 1 / 3, 1 / 3])).toEqual([34, 33, 33]);
    expect(roundedPercents([0.125, 0.125, 0.25, 0.5])).toEqual([13, 12, 25, 50]); // the point left over goes to the first of equal remainders
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let trial = 0; trial < 200; trial++) {
      const raw = Array.from({ length: 1 + (trial % 9) }, random);
      const total = raw.reduce((a, b) => a + b, 0);
      const percents = roundedPercents(raw.map((v) => v / total));
      expect(percents.reduce((a, b) => a + b, 0)).toBe(100);
      raw.forEach((v, i) => expect(Math.abs(percents[i] - (100 * v) / total)).toBeLessThan(1));
    }
    // candidates without a P(best) (no prediction) keep "—" and do not take a share
    expect(pBestTexts([0.5, undefined, 0.5])).toEqual(['50 %', '—', '50 %']);
    // never "100 %" for a pick another candidate sometimes beats, never "0 %" for one that sometimes wins
    expect(pBestTexts([0.996, 0.004, 0])).toEqual(['>99 %', '<1 %', '0 %']);
    expect(pBestTexts([1, 0])).toEqual(['100 %', '0 %']);
  });

  it('rounds losses to what the intervals support, and shortens an optimiser’s long numbers in a spec', () => {
    expect(decimalsFor(0.04)).toBe(3);
    expect(decimalsFor(0.002)).toBe(4);
    expect(decimalsFor(Number.NaN)).toBe(4);
    const r = ranking([ranked(1, 'a', 2.9198, { interval: { lo: 2.9015, hi: 2.9438 }, gapInterval: { lo: 0, hi: 0 } }), ranked(2, 'b', 2.9207, { interval: { lo: 2.9018, hi: 2.9454 }, gapInterval: { lo: -0.0141, hi: 0.016 } })]);
    expect(rankingDecimals(r)).toEqual({ loss: 3, gap: 3 });
    expect(readableNumbers('wsd:peak=3e-4,warmup=2160,total=24000,decay=7105,final=2.8213456789012345e-6')).toBe('wsd:peak=3e-4,warmup=2160,total=24000,decay=7105,final=0.000002821');
    expect(readableNumbers('cosine:peak=0.00030000000000000003,total=100')).toBe('cosine:peak=0.0003,total=100');
  });

  it('the "best" badge never contradicts P(best): the lowest prediction and the most frequent winner are told apart', () => {
    const agree = ranking([ranked(1, 'a', 2.90, { pBest: 0.6 }), ranked(2, 'b', 2.91, { pBest: 0.4 })]);
    expect(agree.ranking.map((r) => bestBadge(r, agree))).toEqual(['best', null]);
    const split = ranking([ranked(1, 'a', 2.90, { pBest: 0.3 }), ranked(2, 'b', 2.901, { pBest: 0.45 }), ranked(3, 'c', 2.95, { pBest: 0.25 })]);
    expect(split.ranking.map((r) => bestBadge(r, split))).toEqual(['lowest predicted', 'most often best', null]);
    expect(rankingPBest(split)).toEqual(['30 %', '45 %', '25 %']);
  });
});

describe('the decision and what could change it', () => {
  it('counts and names every observed end outside its interval', () => {
    const ends = [
      { label: 'WSD exp', observed: 2.7222, interval: { lo: 2.6843, hi: 2.7166 } },
      { label: 'cosine', observed: 2.7396, interval: { lo: 2.736, hi: 2.747 } },
      { label: 'WSD linear', observed: 2.7251, interval: { lo: 2.6897, hi: 2.7245 } },
      { label: 'no band', observed: 2.8 },
    ];
    expect(missesText(ends, 'real run', '90 %')?.outside).toBe(2);
    expect(missesText(ends, 'real run', '90 %')?.text).toBe('2 of 3 real runs end outside their 90 % interval: WSD exp observed 2.7222 against 2.6843–2.7166; WSD linear observed 2.7251 against 2.6897–2.7245.');
    expect(missesText(ends.slice(1, 2), 'held-out run', '90 %')).toEqual({ text: 'The held-out run ends inside its 90 % interval.', outside: 0 });
    expect(missesText([ends[3]], 'real run', '90 %')).toBeNull();
  });

  it('ranks the warnings that bear on the decision first, and does not repeat what the verdict says', () => {
    const warnings = [
      { code: 'lr-interpolated', message: 'a note' },
      { code: 'interval-at-bound', message: 'mixture: the 90 % interval of β (MPL) reaches its lower bound (0.01): unsure' },
      { code: 'no-prediction', message: 'x: no prediction' },
      { code: 'no-prediction', message: 'x: no prediction' },
    ];
    const { decisive, notes } = rankWarnings(warnings);
    expect(decisive.map((w) => w.code)).toEqual(['no-prediction', 'interval-at-bound']);
    expect(notes.map((w) => w.code)).toEqual(['lr-interpolated']);
    expect(unsaidWarnings({ text: 'Use a.', reasons: ['Multi-Power Law: β = 0.01 is at its lower bound (0.01): …'] }, warnings).map((w) => w.code)).toEqual(['no-prediction']);
    // a parameter at its bound (a warning) already says its interval reaches that bound
    const bound = { code: 'param-at-bound', message: 'Multi-Power Law: β = 0.01 is at its lower bound (0.01): …' };
    expect(unsaidWarnings({ text: 'Use a.', reasons: [] }, [...warnings, bound]).map((w) => w.code)).toEqual(['no-prediction', 'param-at-bound']);
  });

  it('a page puts its decision before its first chart and its warnings after its sections', () => {
    const chart = svgChart({ title: 't', panels: [{ height: 100, yLabel: 'loss', series: [{ name: 'a', x: [1, 2, 3], y: [3, 2, 1], color: 0 }] }] });
    const html = renderPage({ title: 'T', subtitle: 's', argv: ['compare'], sections: [{ title: 'S', html: chart }], warnings: [{ code: 'param-at-bound', message: 'γ at bound' }], decision: { text: 'Use a: best in 71 % of the draws.', reasons: [] } });
    expect(html.indexOf('id="decision"')).toBeGreaterThan(0);
    expect(html.indexOf('id="decision"')).toBeLessThan(html.indexOf('<svg'));
    expect(html.indexOf('<h2>Warnings</h2>')).toBeGreaterThan(html.indexOf('<svg'));
    expect(html).toContain('prefers-color-scheme: dark');
  });

  it('does not overstate a gap: "the rest end at least …" is the lowest end of their gaps’ intervals, not a point gap', () => {
    const entries = [
      { name: 'a', finalLoss: 2.69, gapToBest: 0, tie: false, pBest: 0.5 },
      { name: 'b', finalLoss: 2.70, gapToBest: 0.01, tie: true, pBest: 0.5, gapInterval: { lo: -0.01, hi: 0.03 } },
      { name: 'cosine', finalLoss: 2.74, gapToBest: 0.0466, tie: false, pBest: 0, gapInterval: { lo: 0.033, hi: 0.067 } },
      { name: 'constant', finalLoss: 2.82, gapToBest: 0.12, tie: false, pBest: 0, gapInterval: { lo: 0.10, hi: 0.14 } },
    ];
    expect(verdictOf(entries, { level: 0.9, bounds: [] })!.text).toMatch(/the rest end at least 0\.0330 higher/);
    // and does not call a pick certain that another candidate sometimes beats
    expect(verdictOf([{ ...entries[0], pBest: 0.997 }, { ...entries[2], pBest: 0.003 }], { level: 0.9, bounds: [] })!.text).toMatch(/best in >99 % of the draws/);
  });

  it('optimize calls no schedule with a zero-LR tail "reliably better"', () => {
    const zero = parseSchedule('step:peak=3e-4,warmup=100,total=1000,milestones=800,factors=0');
    expect(zeroLrTail(zero, 1000, 3e-4)).toBe(200);
    const optimum = (schedule: typeof zero) => ({ best: { schedule }, frame: { total: 1000, peak: 3e-4, warmup: 100 }, gain: { value: 0.05, interval: { lo: 0.04, hi: 0.06 } } }) as unknown as Parameters<typeof gainVerdict>[0];
    expect(gainVerdict(optimum(zero))).toMatchObject({ sure: false, text: expect.stringMatching(/not reliably better: its last 200 steps are at LR ≈ 0/) });
    expect(gainVerdict(optimum(parseSchedule('step:peak=3e-4,warmup=100,total=1000,milestones=800,factors=0.1')))).toEqual({ sure: true, text: 'reliably better' });
  });
});

describe('charts and tables that fit', () => {
  it('thins a path to what the pixels show: a straight line of 700 points is 2, a kink is kept', () => {
    const x = Array.from({ length: 700 }, (_, i) => i);
    expect(simplify(x, x.map((v) => 2 * v))).toEqual([0, 699]);
    expect(simplify(x, x.map((v) => Math.abs(v - 300)))).toEqual([0, 300, 699]);
    const svg = svgChart({ title: 't', panels: [{ height: 100, yLabel: 'loss', series: [{ name: 'a', x, y: x.map((v) => Math.sqrt(v)), color: 0 }] }] });
    const d = /class="series[^"]*"[^>]*d="([^"]+)"/.exec(svg)![1];
    expect(d.split(/[ML,]/).filter(Boolean).every((n) => /^-?\d+(\.\d)?$/.test(n))).toBe(true); // one decimal at most
    expect(d.split(/[ML]/).filter(Boolean).length).toBeLessThan(120);
  });

  it('gives each schedule one colour for the page, and draws a gap chart with a bar per interval', () => {
    const colors = colorsByName(['a', 'b', 'a', 'c']);
    expect([...colors.entries()]).toEqual([['a', 0], ['b', 1], ['c', 2]]);
    const html = gapChart([{ name: 'a', color: 0, gap: 0, text: 'best' }, { name: 'b', color: 1, gap: 0.01, interval: { lo: -0.01, hi: 0.03 }, text: '+0.010' }], 'gap');
    expect(html.match(/class="whisker bg1"/g)).toHaveLength(1);
    expect(html.match(/class="point bg\d"/g)).toHaveLength(2);
  });

  it('narrows a table to the width by wrapping one column; wide HTML tables turn into labelled cards on a phone', () => {
    const rows = [['1', 'wsd:peak=3e-4,warmup=2160,total=24000,decay=4000,shape=exponential,final=3e-5', '2.695']];
    const text = renderTable(['rank', 'schedule', 'final'], rows, { maxWidth: 40, wrap: 1, align: ['r', 'l', 'r'] });
    expect(Math.max(...text.split('\n').map(visibleWidth))).toBeLessThanOrEqual(40);
    expect(text.replace(/\s+/g, '')).toContain('wsd:peak=3e-4,warmup=2160,total=24000,decay=4000,shape=exponential,final=3e-5'.slice(0, 20));
    expect(wrapItems(['A 0.6028', 'α 0.4963', 'C 0.56202'], 21, '  ')).toEqual(['  A 0.6028   α 0.4963', '  C 0.56202']);
    const wide = htmlTable(['a', 'b', 'c', 'd', 'e'], [['1', '2', '3', '4', '5']]);
    expect(wide).toContain('class="scroll stack"');
    expect(wide).toContain('data-label="c"');
    expect(htmlTable(['a', 'b'], [['1', '2']])).not.toContain('stack');
  });

  it('a terminal chart of nine long-named schedules stays within the width, its legend wrapped', () => {
    const x = Array.from({ length: 50 }, (_, i) => 1000 * i);
    const series = Array.from({ length: 9 }, (_, k) => ({ name: `wsd-linear-0.${k + 1}_50000-with-a-long-name`, x, y: x.map((v) => 3 + k / 100 - v / 1e6), color: k }));
    for (const color of [false, true]) {
      const text = renderChart(series, { width: 100, color, tail: 0.3 });
      expect(Math.max(...text.split('\n').map(visibleWidth))).toBeLessThanOrEqual(100);
      for (const s of series) expect(text).toContain(s.name);
    }
  });

  it('takes the width from the terminal, else $COLUMNS, else 100', () => {
    expect(terminalWidth({ columns: 120 }, 100, { COLUMNS: '80' })).toBe(120);
    expect(terminalWidth({}, 100, { COLUMNS: '80' })).toBe(80);
    expect(terminalWidth({}, 100, {})).toBe(100);
  });

  it('sets the laws side by side from a mixture’s members, marking where they disagree', () => {
    const r = ranking([
      ranked(1, 'a', 2.90, { byLaw: { momentum: 2.93, mpl: 2.88 }, pBest: 0.5 }),
      ranked(2, 'b', 2.91, { byLaw: { momentum: 2.92, mpl: 2.90 }, pBest: 0.3 }),
      ranked(3, 'c', 2.95, { byLaw: { momentum: 2.96, mpl: 2.94 }, pBest: 0.2 }),
    ]);
    const side = sideBySide([{} as never], [r])!;
    expect(side.laws).toEqual(['momentum law', 'Multi-Power Law']);
    expect(side.picks).toEqual(['b', 'a']);
    expect(side.rows.map((x) => x.disagree)).toEqual([true, true, false]);
    expect(side.rows.map((x) => x.byLaw.map((v) => v.rank))).toEqual([[2, 1], [1, 2], [3, 3]]);
  });
});

describe('predict --html', () => {
  it('honours --tail (a second chart zoomed on the last 30 % of steps) and --log-y, and shades the steps beyond the fitted run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'losscast-predict-'));
    const params = join(dir, 'params.json');
    const page = join(dir, 'predict.html');
    expect(runCli(['fit', `${FIXTURES}mpl-400M/cosine_24000.csv@cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5`, '--model', 'momentum', '--samples', '20', '-o', params, '--json']).code).toBe(0);
    expect(runCli(['predict', '--params', params, '--schedule', 'wsd:peak=3e-4,warmup=2160,total=72000,decay=0.2', '--tail', '0.3', '--log-y', '--html', page]).code).toBe(0);
    const html = readFileSync(page, 'utf8');
    const charts = html.split('<figure').slice(1);
    expect(charts).toHaveLength(2);
    expect(charts[1]).toContain('the last 30 % of steps');
    const ticks = [...charts[1].matchAll(/dominant-baseline="hanging" text-anchor="middle">([\d.]+)k</g)].map((m) => 1000 * Number(m[1]));
    expect(ticks.length).toBeGreaterThan(2);
    expect(Math.min(...ticks)).toBeGreaterThanOrEqual(0.7 * 72_000 - 1000);
    expect(html).toContain('data-log-y="true"');
    expect(charts[0]).toMatch(/class="shade"/); // fitted on 24k steps, predicted to 72k
    expect(html.indexOf('id="decision"')).toBeLessThan(html.indexOf('<svg'));
  });
});

describe('compare with fitted runs among the candidates', () => {
  it('draws their points over their predictions and judges their ends against their intervals, on the page and in the terminal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'losscast-observed-'));
    const page = join(dir, 'compare.html');
    const cos = 'cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5';
    const r = runCli(['compare', '--fit', `${FIXTURES}mpl-400M/cosine_24000.csv@${cos}`, '--fit', `${FIXTURES}mpl-400M/constant_24000.csv@constant:peak=3e-4,warmup=2160,total=24000`, '--model', 'momentum', '--samples', '20', '--schedule', cos, '--schedule', 'wsd:peak=3e-4,warmup=2160,total=24000,decay=0.2', '--no-chart', '--html', page]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {2}(The fitted run ends inside its 90 % interval\.|1 of 1 fitted runs ends outside)/m);
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(/<p class="misses[^"]*">(The fitted run ends inside|1 of 1 fitted runs ends outside)/);
    expect(html).toContain('data-series="observed: cosine_24000 (fitted)"');
    expect(html).toMatch(/<th class="num">observed<\/th>/);
  });
});

describe('the 124M sweep: fit constant_50000 + cosine-10pct_25000, compare the nine 50k candidates (the issue’s check)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'losscast-report-'));
  const page = join(dir, 'compare.html');
  let text = '';
  let html = '';
  beforeAll(() => {
    const runs = JSON.parse(readFileSync(`${FIXTURES}lr-sweep-124m/runs.json`, 'utf8')) as Record<string, { schedule: string; total: number }>;
    const candidates = Object.entries(runs).filter(([name, r]) => r.total === 50_000 && name !== 'constant_50000');
    const file = join(dir, 'candidates.json');
    writeFileSync(file, JSON.stringify({ candidates: candidates.map(([name, r]) => ({ name, schedule: r.schedule })) }));
    const S = `${FIXTURES}lr-sweep-124m/`;
    const r = runCli(['compare', '--fit', `${S}constant_50000.val.csv@${runs.constant_50000.schedule}`, '--fit', `${S}cosine-10pct_25000.val.csv@${runs['cosine-10pct_25000'].schedule}`, '--from-step', '1000', '--samples', '30', '--no-chart', '--candidates', file, '--html', page], { env: { COLUMNS: '100' } });
    expect(r.code, r.stderr).toBe(0);
    text = r.stdout;
    html = readFileSync(page, 'utf8');
  });

  it('the page states the recommended schedule and its chance before its first chart, and stays under 250 KB', () => {
    const best = /^ +1 +(\S+)/m.exec(text)![1];
    const chance = new RegExp(`^ +1 +${best} .* (\\d+ %)`, 'm').exec(text)![1];
    const decision = html.slice(html.indexOf('id="decision"'), html.indexOf('</div>', html.indexOf('id="decision"')));
    expect(html.indexOf('id="decision"')).toBeLessThan(html.indexOf('<svg'));
    expect(decision).toContain(best);
    expect(decision).toMatch(/best in [<>]?\d+ % of the draws/);
    expect(chance).toMatch(/^\d+ %$/);
    expect(statSync(page).size).toBeLessThan(250 * 1024);
    // nine candidates, nine bands, nine colours
    expect(html.match(/<path class="band many f\d"/g)?.length).toBe(9);
    expect(new Set(html.match(/class="swatch dot bg(\d)"/g)).size).toBe(9);
  });

  it('the terminal report has no line over 100 columns at COLUMNS=100 (its chart: see "a terminal chart of nine…"), and its P(best) sums to 100 %', () => {
    const widths = text.split('\n').map(visibleWidth);
    expect(Math.max(...widths)).toBeLessThanOrEqual(100);
    const table = text.split('\n').filter((l) => /^ +\d +\S+ +\d\.\d+ /.test(l));
    expect(table).toHaveLength(9);
    // "<1 %" rounded to 0, ">99 %" to 100
    const shown = (line: string) => {
      const [, sign, n] = /([<>]?)(\d+) %(\s|$)/.exec(line)!;
      return sign === '<' ? 0 : sign === '>' ? 100 : Number(n);
    };
    expect(table.map(shown).reduce((a, b) => a + b, 0)).toBe(100);
    // the two members of the mixture side by side
    expect(text).toMatch(/^Each law alone/m);
  });

  it('on a phone, chart text is at least 11 px: tick labels grow to 26 units of a 760-unit chart (366 px wide at 390 px)', () => {
    const phone = /@media \(max-width: 600px\) \{[\s\S]*?svg text \{ font-size: (\d+)px; \}/.exec(html)!;
    expect((Number(phone[1]) * (390 - 2 * 12)) / 760).toBeGreaterThanOrEqual(11); // main's padding is 12 px a side on a phone
  });
});
