/**
 * Megatron-LM / Megatron-DeepSpeed / GPT-NeoX console logs:
 * ` iteration  20/ 1000 | … | learning rate: 3.750E-05 | … | lm loss: 1.210588E+01 | …`
 * and ` validation loss at iteration 100 | lm loss value: 8.095942E+00 | …`.
 * Prefixes (timestamps, `[default7]:`, `0: `) are allowed; timer lines are ignored.
 */
import { NUM, readLineLog } from '../line-log.js';
import type { LogFormat } from './types.js';

const ITERATION = /\biteration\s+(\d+)\s*\/\s*(\d+)\s*\|/;
const LR = new RegExp(String.raw`\|\s*learning rate:\s*(${NUM})\s*\|`, 'i');
const VALIDATION = new RegExp(String.raw`validation(?:-\S+)? loss at (?:iteration (\d+)|[^|]*?)\s*(?:on [^|]*)?\|\s*lm loss value:\s*(${NUM})`, 'i');

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const megatronFormat: LogFormat = {
  name: 'megatron',
  description: 'Megatron-LM / Megatron-DeepSpeed console log ("iteration N/ M | … | lm loss: …")',
  detect: (head) => (ITERATION.test(head) ? 40 : 0),
  read(source, options) {
    const lossKey = options.columns?.train ?? 'lm loss';
    const LOSS = new RegExp(String.raw`\|\s*${escapeRegExp(lossKey)}:\s*(${NUM})\s*\|`, 'i');
    let lastIteration: number | null = null;
    // a second validation line at an iteration (another data set, the end-of-training summary) must not replace the first
    const validated = new Map<number, string>();
    let differing = 0;
    return readLineLog(source, 'megatron', { step: 'iteration', train: lossKey, eval: 'validation lm loss', lr: 'learning rate' }, {
      visit(text, sink) {
        if (!text.includes('iteration') && !text.includes('validation')) return;
        const it = ITERATION.exec(text);
        if (it) {
          const step = Number(it[1]);
          lastIteration = step;
          sink.total(Number(it[2]));
          const loss = LOSS.exec(text)?.[1];
          const lr = LR.exec(text)?.[1];
          if (loss === undefined) sink.skip('iteration line without a loss (all steps of the interval skipped, e.g. fp16 loss-scale search)');
          sink.row(step, loss, undefined, lr);
          return;
        }
        const val = VALIDATION.exec(text);
        if (val) {
          const step = val[1] !== undefined ? Number(val[1]) : lastIteration;
          if (step === null) return sink.skip('validation line before any iteration line');
          const first = validated.get(step);
          if (first === undefined) {
            validated.set(step, val[2]);
            sink.row(step, undefined, val[2]);
          } else if (Number(first) !== Number(val[2])) {
            differing++;
            sink.skip('second, different validation loss at the same iteration (the first was kept)');
          }
        }
      },
      warnings: () => (differing > 0 ? [`${differing} iteration(s) have two different validation losses (e.g. validation and test sets): kept the first of each; check which data set the eval loss should come from`] : []),
    });
  },
};
