/** `losscast suggest`: which pilot run to train next, so the choice among candidate schedules is settled cheapest. */
import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { parseSchedule } from '../../schedule/schedule.js';
import { renderSuggestion, suggestionVerdict, suggestJson, suggestSections } from '../../render/suggest-report.js';
import { terminalWidth } from '../../render/style.js';
import { checkBranches, MAX_PILOTS, type Pilot, readPilotsFile } from '../../suggest/pilots.js';
import { proposedPilots } from '../../suggest/menu.js';
import { DEFAULT_SIMULATIONS } from '../../suggest/value.js';
import { valueOfPilotsParallel } from '../../suggest/parallel.js';
import { type LawSourceOptions, fitFromLogs } from '../law-source.js';
import { makeOutput, printJson } from '../output.js';
import { makeProgress } from '../progress.js';
import { addHtmlOption, writeHtml } from '../html.js';
import { addOutputAndLawOptions, collect, fitOptions, parseWhole } from '../options.js';
import { addCandidateOptions, gatherCandidates } from './compare.js';
import { warning } from '../../warnings.js';

interface SuggestOptions extends Omit<LawSourceOptions, 'schedule'> {
  schedule?: string[];
  candidates?: string;
  sweep?: string[];
  total?: number;
  pilots?: string;
  simulations?: number;
  html?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Most simulated logs per pilot (each is a refit of the law). */
const MAX_SIMULATIONS = 64;

/** Registers the command. */
export function registerSuggest(program: Command): void {
  const cmd = program.command('suggest').summary('say which pilot run to train next to settle the choice of schedule');
  cmd
    .option('--fit <log>', 'fit the law on the spot from LOG@SPEC (repeatable; suggest refits it with each simulated pilot)', collect)
    .option('--params <file>', 'not accepted: a params file has no logs to refit on (give --fit)');
  addCandidateOptions(cmd);
  cmd
    .option('--pilots <file>', `the runs you could afford, JSON or YAML: {"pilots": [{"name", "schedule", "cost", "branchFrom"}]} (at most ${MAX_PILOTS}); default: cooldowns branched from the fitted runs`)
    .option('--simulations <n>', `simulated pilot logs per pilot, each a refit of the law (default ${DEFAULT_SIMULATIONS}, at most ${MAX_SIMULATIONS}; more = a steadier value, slower)`, parseWhole);
  addHtmlOption(cmd);
  addOutputAndLawOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  losscast suggest --fit "const.csv@constant:peak=2e-3,warmup=300,total=50000" \\
      --fit "cos.csv@cosine:peak=2e-3,warmup=300,total=25000,final=2e-4" \\
      --sweep "wsd:peak=2e-3,warmup=300,total=50000,decay=0.1..0.9/0.2" --pilots pilots.json
  losscast suggest --fit "const.csv@constant:..." --fit "cos.csv@cosine:..." --candidates candidates.json --json

A pilots file lists the runs you could train first, with their cost in steps:
  {"pilots": [
    {"name": "cooldown 10% @ 13.5k", "schedule": "wsd:peak=2e-3,warmup=300,total=15000,decay=1500,final=0",
     "cost": 1500, "branchFrom": "const@13500"},
    {"name": "short cosine", "schedule": "cosine:peak=2e-3,warmup=300,total=15000,final=2e-4", "cost": 15000}]}
branchFrom names a fitted run (its file name without folder and extension) and the step of a saved
checkpoint: the pilot's LR must be that run's up to the step, and its cost defaults to the steps
after it. Without --pilots, suggest proposes cooldowns (10 % and 20 %, linear and 1-sqrt) branched
at 30 % and 60 % of a fitted run that holds its peak LR.

How it weighs a pilot: a few outcomes are drawn from the current law (its bootstrap refits, its
own error correlated between similar schedules, seed noise); in each, the pilot's log is
simulated, the law is refitted with it as compare would refit it, and its new pick is scored in
the same outcome. value = expected regret (how much worse the pick ends than the best) today
minus after the pilot; per 1,000 steps of cost it orders the pilots worth training. When none
lowers the expected regret by 0.0005 nats (a quarter of --noise-floor) beyond the simulations' own
error, suggest says so, and why. Needs --fit logs (each
simulation refits the law on them): a params file is not enough.

Exit codes: 0 success, 1 bad data, 2 usage error.`,
  );
  cmd.action(async (o: SuggestOptions) => {
    const out = makeOutput(o);
    if (o.params) throw usageError('suggest refits the law with each simulated pilot, so it needs the logs: give --fit LOG@SPEC (repeatable) instead of --params');
    if (o.model === 'both') throw usageError('suggest weighs pilots under one law: --model auto (the default), momentum or mpl');
    if (o.samples === 0) throw usageError('suggest needs the bootstrap (it draws the outcomes a pilot could show from it): drop --samples 0');
    if (o.simulations !== undefined && (o.simulations < 2 || o.simulations > MAX_SIMULATIONS)) throw usageError(`--simulations ${o.simulations}: give 2 to ${MAX_SIMULATIONS}`);
    const candidates = gatherCandidates(o);
    for (const c of candidates) parseSchedule(c.spec);
    if (candidates.length < 2) throw usageError('suggest needs at least two candidates to choose between (--schedule, --candidates or --sweep)');
    const given: Pilot[] | undefined = o.pilots ? readPilotsFile(o.pilots) : undefined;
    if (!o.fit?.length) throw usageError('no logs: give --fit LOG@SPEC (repeatable); suggest refits the law on them with each simulated pilot');
    const { runs, laws } = await fitFromLogs({ ...o, schedule: undefined }, out);
    const [law] = laws;
    if (given) checkBranches(given, runs, o.pilots!);
    const proposed = given ? [] : proposedPilots(runs);
    if (proposed.length > MAX_PILOTS) out.warn(warning('menu-cut', `the proposed menu has ${proposed.length} cooldown branches; the first ${MAX_PILOTS} (of the first fitted runs) are weighed — give your own with --pilots FILE`));
    const pilots = given ?? proposed.slice(0, MAX_PILOTS);
    if (pilots.length === 0) throw usageError('no fitted run holds its peak LR for 1,000 steps or more, so there is no checkpoint to branch a cooldown from: give the runs you could train with --pilots FILE');
    const progress = makeProgress(o);
    const suggestion = await valueOfPilotsParallel({ law, runs, fitOptions: fitOptions(o), candidates, pilots, simulations: o.simulations, total: o.total, onProgress: (done, total) => progress.update('simulating pilots', done, total) });
    progress.end();
    const warnings = [...law.notes, ...suggestion.pilots.filter((p) => p.failed > 0).map((p) => warning('refit-failed', `${p.pilot.name}: ${p.failed} of ${suggestion.simulations} refits with a simulated log failed; they keep today's pick`))];
    if (o.html) writeHtml(o.html, { title: 'Which run to train next', subtitle: `losscast suggest report: the value of ${pilots.length} pilot runs for the choice among ${candidates.length} schedules.`, decision: suggestionVerdict(suggestion), sections: suggestSections(suggestion), warnings }, out);
    if (o.json) {
      printJson(suggestJson(suggestion, law.model, !given, warnings));
      return;
    }
    for (const w of warnings.filter((w) => w.code === 'refit-failed')) out.warn(w);
    out.result(renderSuggestion(suggestion, { color: out.color, width: terminalWidth(), proposed: !given }));
  });
}
