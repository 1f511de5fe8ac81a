/**
 * modded-nanogpt speed-run logs: `step:N/M train_loss:X train_time:…ms step_avg:…ms` and
 * `step:N/M val_loss:X …`. The echoed training script at the top of the file is skipped
 * (its `print(f"step:{step}…")` lines do not match). No LR is logged.
 */
import { readLineLog } from '../line-log.js';
import type { LogFormat } from './types.js';

const STEP = /^step:(\d+)\/(\d+) (?:(train_loss|val_loss):(\S+) )?train_time:/;
const STEP_LINE = new RegExp(STEP.source, 'm');

export const moddedNanogptFormat: LogFormat = {
  name: 'modded-nanogpt',
  description: 'modded-nanogpt speed-run log ("step:N/M train_loss:X train_time:…")',
  detect: (head) => (STEP_LINE.test(head) ? 40 : 0),
  read(source) {
    return readLineLog(source, 'modded-nanogpt', { step: 'step', train: 'train_loss', eval: 'val_loss' }, {
      visit(text, sink) {
        if (!text.startsWith('step:')) return;
        const m = STEP.exec(text);
        if (!m) return;
        sink.total(Number(m[2]));
        if (m[3] === 'train_loss') sink.row(m[1], m[4]);
        else if (m[3] === 'val_loss') sink.row(m[1], undefined, m[4]);
      },
    });
  },
};
