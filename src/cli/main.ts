/**
 * The losscast command line: a thin commander layer over the library.
 * Exit codes: 0 success, 1 bad data (or output that could not be written), 2 usage error, 3 a check failed, 4 no valid prediction,
 * 141 stdout or stderr closed by its reader (see pipes.ts; a full disk under stdout exits 1).
 */
import { Command, CommanderError } from 'commander';
import { EXIT_BAD_DATA, EXIT_USAGE, LosscastError } from '../errors.js';
import { registerFit } from './commands/fit.js';
import { registerDemo } from './commands/demo.js';
import { registerSchedule } from './commands/schedule.js';
import { registerPredict } from './commands/predict.js';
import { registerCompare } from './commands/compare.js';
import { registerOptimize } from './commands/optimize.js';
import { registerInspect } from './commands/inspect.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerCheck } from './commands/check.js';
import { registerForecast } from './commands/forecast.js';
import { registerSuggest } from './commands/suggest.js';
import { VERSION } from '../version.js';
import { printable } from '../text/printable.js';
import { checkFileNames } from './paths.js';
import { checkOptionLimits } from './limits.js';
import { fillTotals } from './fill-total.js';

/** Builds the program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('losscast')
    .description('Predict LLM training loss curves with the LR-annealing scaling law, and rank LR schedules before you train.')
    .version(VERSION)
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      `
Quick start:
  losscast demo                         fit a bundled real run and compare schedules
  losscast fit run.csv --schedule "cosine:peak=3e-4,warmup=2000,total=24000"

Two laws (--model): momentum (the default; 4 parameters, robust with few runs) and mpl (the
Multi-Power Law; 7 parameters, better on cooldown shapes when a fitted run has a real cooldown).
compare --model both ranks under each and marks where they disagree. See losscast fit --help.

Exit codes: 0 success, 1 bad data (or output that could not be written), 2 usage error, 3 a check failed, 4 the law has no valid
prediction for a schedule (its loss would be negative or infinite: far outside the fitted runs),
141 the reader of the output went away (e.g. losscast demo | head), quietly.`,
    );
  registerDemo(program);
  registerInspect(program);
  registerFit(program);
  registerPredict(program);
  registerCompare(program);
  registerForecast(program);
  registerSuggest(program);
  registerOptimize(program);
  registerEvaluate(program);
  registerCheck(program);
  registerSchedule(program);
  return program;
}

function configure(cmd: Command): void {
  cmd.exitOverride();
  cmd.configureOutput({
    outputError: (text, write) => write(printable(text).replace(/^error: /, 'losscast: ').replace(/\.?\n?$/, `; see "losscast ${cmd.name() === 'losscast' ? '' : `${cmd.name()} `}--help"\n`)),
  });
  for (const sub of cmd.commands) configure(sub);
}

/** Stands in for the "-" of a `-@SPEC` argument (stdin with its schedule) while commander parses. */
const STDIN_MARK = '\uE000stdin';

/**
 * `-@SPEC` (stdin with a schedule) looks like an option to commander: it is masked before
 * parsing and unmasked in the operands and option values the command's action receives.
 */
function maskStdinOperands(argv: readonly string[]): string[] {
  return argv.map((arg, i) => (i >= 2 && arg.startsWith('-@') ? STDIN_MARK + arg.slice(1) : arg));
}

function unmaskStdinOperands(values: unknown[]): void {
  values.forEach((value, i) => {
    if (typeof value === 'string' && value.startsWith(STDIN_MARK)) values[i] = `-${value.slice(STDIN_MARK.length)}`;
    else if (Array.isArray(value)) unmaskStdinOperands(value);
  });
}

/** Runs the CLI with `argv` (as process.argv); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  configure(program);
  program.hook('preAction', (_, action) => {
    unmaskStdinOperands(action.processedArgs);
    for (const [key, value] of Object.entries(action.opts())) {
      const values = [value];
      unmaskStdinOperands(values);
      if (values[0] !== value) action.setOptionValue(key, values[0]);
    }
    checkFileNames(action);
    checkOptionLimits(action);
    fillTotals(action);
  });
  try {
    await program.parseAsync(maskStdinOperands(argv));
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help, help and --version succeed; bare `losscast` (help on stderr, nothing done) is a usage error
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code)) return err.exitCode === 0 ? 0 : EXIT_USAGE;
      return EXIT_USAGE;
    }
    if (err instanceof LosscastError) {
      process.stderr.write(`losscast: ${err.message}\n`);
      return err.exitCode;
    }
    const message = printable(err instanceof Error ? err.message : String(err));
    process.stderr.write(`losscast: internal error: ${message} (please report it, with the command you ran)\n`);
    if (process.env.LOSSCAST_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return EXIT_BAD_DATA;
  }
}
