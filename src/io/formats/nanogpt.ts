/**
 * nanoGPT stdout: `iter N: loss X, time Yms, mfu Z%` (train, one micro-batch × grad-accum)
 * and `step N: train loss A, val loss B` (estimates at eval time; B is the eval loss).
 * No LR is printed.
 */
import { readLineLog } from '../line-log.js';
import type { LogFormat } from './types.js';

const ITER = /^iter (\d+): loss ([^,\s]+),/;
const EVAL = /^step (\d+): train loss ([^,\s]+), val loss (\S+)/;

export const nanogptFormat: LogFormat = {
  name: 'nanogpt',
  description: 'nanoGPT stdout ("iter N: loss X, time …", "step N: train loss A, val loss B")',
  detect: (head) => (/^(iter \d+: loss |step \d+: train loss )/m.test(head) ? 40 : 0),
  read(source) {
    return readLineLog(source, 'nanogpt', { step: 'iter', train: 'loss', eval: 'val loss' }, {
      visit(text, sink) {
        const iter = ITER.exec(text);
        if (iter) return sink.row(iter[1], iter[2]);
        const ev = EVAL.exec(text);
        if (ev) sink.row(ev[1], undefined, ev[3]);
      },
    });
  },
};
