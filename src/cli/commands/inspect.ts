/** `losscast inspect`: show what losscast reads from a log, before fitting it. */
import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { inspectLog, type LogReport } from '../../io/inspect.js';
import { LOG_FORMATS } from '../../io/read-log.js';
import { inspectJson, renderInspectReport, renderRunList } from '../../render/inspect-report.js';
import { renderTable } from '../../render/table.js';
import { makeOutput, printJson } from '../output.js';
import { addLogOptions, loadOptions, type LogOptionValues } from '../options.js';

interface InspectOptions extends LogOptionValues {
  json?: boolean;
  formats?: boolean;
  quiet?: boolean;
}

/** Registers the command. */
export function registerInspect(program: Command): void {
  const cmd = program
    .command('inspect')
    .summary('show the format, series, LR source and runs found in logs')
    .argument('[logs...]', 'log files or run folders (TensorBoard, MLflow); "-" for stdin')
    .option('--formats', 'list the formats losscast reads');
  addLogOptions(cmd)
    .option('--json', 'print one JSON document')
    .option('-q, --quiet', 'no warnings on stderr')
    .addHelpText(
      'after',
      `
Examples:
  losscast inspect trainer_state.json
  losscast inspect wandb_export.csv            list the runs of a W&B chart export
  losscast inspect runs/Jan01_12-00-00_host/   a TensorBoard run folder
  losscast inspect --formats

Exit codes: 0 success, 1 bad data, 2 usage error.`,
    )
    .action(async (logs: string[], o: InspectOptions) => {
      const out = makeOutput(o);
      if (o.formats) {
        if (o.json) printJson({ schemaVersion: 1, command: 'inspect', formats: LOG_FORMATS.map((f) => ({ name: f.name, description: f.description })) });
        else out.result(renderTable(['format', 'what it reads'], LOG_FORMATS.map((f) => [f.name, f.description]), { color: out.color }));
        return;
      }
      if (logs.length === 0) throw usageError('give a log file to inspect (or --formats to list the formats)');
      const all: LogReport[][] = [];
      for (const log of logs) all.push(await inspectLog(log, loadOptions(o)));
      if (o.json) return printJson(inspectJson(all.flat()));
      out.result(all.map((reports) => (reports.length > 1 ? renderRunList(reports, out.color) : renderInspectReport(reports[0], out.color))).join('\n\n'));
    });
}
