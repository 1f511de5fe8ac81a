/**
 * The losscast command line: a thin commander layer over the library.
 * Exit codes: 0 success, 1 bad data, 2 usage error, 3 a check failed.
 */
import { Command, CommanderError } from 'commander';
import { EXIT_BAD_DATA, EXIT_USAGE, LosscastError } from '../errors.js';
import { registerFit } from './commands/fit.js';
import { registerDemo } from './commands/demo.js';
import { registerSchedule } from './commands/schedule.js';
import { registerPredict } from './commands/predict.js';
import { registerCompare } from './commands/compare.js';
import { registerInspect } from './commands/inspect.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerCheck } from './commands/check.js';
import { VERSION } from '../version.js';

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

Exit codes: 0 success, 1 bad data, 2 usage error, 3 a check failed.`,
    );
  registerDemo(program);
  registerInspect(program);
  registerFit(program);
  registerPredict(program);
  registerCompare(program);
  registerEvaluate(program);
  registerCheck(program);
  registerSchedule(program);
  return program;
}

function configure(cmd: Command): void {
  cmd.exitOverride();
  cmd.configureOutput({
    outputError: (text, write) => write(text.replace(/^error: /, 'losscast: ').replace(/\.?\n?$/, `; see "losscast ${cmd.name() === 'losscast' ? '' : `${cmd.name()} `}--help"\n`)),
  });
  for (const sub of cmd.commands) configure(sub);
}

/** Runs the CLI with `argv` (as process.argv); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  configure(program);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code)) return 0;
      return EXIT_USAGE;
    }
    if (err instanceof LosscastError) {
      process.stderr.write(`losscast: ${err.message}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`losscast: internal error: ${message} (please report it, with the command you ran)\n`);
    if (process.env.LOSSCAST_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return EXIT_BAD_DATA;
  }
}
