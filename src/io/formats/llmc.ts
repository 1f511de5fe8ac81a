/**
 * llm.c `main.log`: `s:N trl:LOSS lr:LR norm:G` (train) and `s:N tel:LOSS` (val loss).
 * `s:N eval:X` is a HellaSwag accuracy, not a loss, and is ignored.
 */
import type { Curve } from '../../core/curve.js';
import { readLineLog } from '../line-log.js';
import type { LogFormat } from './types.js';

const TRAIN = /^s:(\d+) trl:(\S+)(?: lr:(\S+))?/;
const VAL = /^s:(\d+) tel:(\S+)/;

/** llm.c prints the LR with %.6f: say so when that loses precision (lr:0.000000 late in a decay). */
function precisionWarning(curve: Curve): string[] {
  const lr = curve.lr;
  if (!lr) return [];
  let zeroAfterPeak = -1;
  let small = 0;
  let peak = 0;
  for (let i = 0; i < lr.values.length; i++) {
    const v = lr.values[i];
    if (v > peak) peak = v;
    else if (v === 0 && peak > 0 && zeroAfterPeak < 0) zeroAfterPeak = lr.steps[i];
    if (v > 0 && v < 1e-4) small++;
  }
  if (zeroAfterPeak < 0 && small < lr.values.length / 10) return [];
  const where = zeroAfterPeak >= 0 ? ` (it prints lr:0.000000 from step ${zeroAfterPeak})` : '';
  return [`the LR is printed with only 6 decimals${where}, too coarse for the law; give the schedule with --schedule for exact values`];
}

export const llmcFormat: LogFormat = {
  name: 'llmc',
  description: 'llm.c main.log ("s:N trl:LOSS lr:LR", "s:N tel:LOSS")',
  detect: (head) => (/^s:\d+ (trl|tel):/m.test(head) ? 40 : 0),
  read(source) {
    return readLineLog(source, 'llmc', { step: 's', train: 'trl', eval: 'tel', lr: 'lr' }, {
      visit(text, sink) {
        if (!text.startsWith('s:')) return;
        const train = TRAIN.exec(text);
        if (train) return sink.row(train[1], train[2], undefined, train[3]);
        const val = VAL.exec(text);
        if (val) sink.row(val[1], undefined, val[2]);
      },
      warnings: precisionWarning,
    });
  },
};
