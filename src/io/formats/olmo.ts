/**
 * OLMo (v1 trainer) console logs: a header `[step=N/M,epoch=E]` followed by indented
 * `    key=value` lines. Numbers may carry thousands separators (`3,815`). The loss is
 * `train/CrossEntropyLoss`; eval losses are `eval/<label>/CrossEntropyLoss`. The console
 * never shows the LR; perplexity is never read as a loss.
 */
import { readLineLog, type LineSink } from '../line-log.js';
import type { LogFormat } from './types.js';

const HEADER = /\[step=(\d+)\/(\d+)(?:,epoch=\d+)?\]/;
const ENTRY = /^ {4}([^=\s][^=]*)=(.+)$/;

export const olmoFormat: LogFormat = {
  name: 'olmo',
  description: 'OLMo console log ("[step=N/M,epoch=E]" blocks of "key=value" lines)',
  detect: (head) => (HEADER.test(head) && /^ {4}train\/CrossEntropyLoss=/m.test(head) ? 40 : 0),
  read(source, options) {
    const lossKey = options.columns?.train ?? 'train/CrossEntropyLoss';
    const lrKey = options.columns?.lr ?? 'optim/learning_rate_group0';
    const evalKey = options.columns?.eval;
    let step: string | null = null;
    let values = new Map<string, string>();
    const flush = (sink: LineSink) => {
      if (step === null) return;
      let evalLoss: string | undefined;
      if (evalKey !== undefined) evalLoss = values.get(evalKey);
      else for (const [k, v] of values) if (/^eval\/.*\/CrossEntropyLoss$/.test(k)) evalLoss ??= v;
      const clean = (v?: string) => v?.replace(/,/g, '');
      if (values.size > 0) sink.row(step, clean(values.get(lossKey)), clean(evalLoss), clean(values.get(lrKey)));
      step = null;
      values = new Map();
    };
    return readLineLog(source, 'olmo', { step: 'step', train: lossKey, eval: evalKey ?? 'eval/*/CrossEntropyLoss', lr: lrKey }, {
      visit(text, sink) {
        const header = HEADER.exec(text);
        if (header) {
          flush(sink);
          step = header[1];
          sink.total(Number(header[2]));
          return;
        }
        if (step === null) return;
        const entry = ENTRY.exec(text);
        if (entry) values.set(entry[1].trim(), entry[2].trim());
        else if (text.trim() !== '') flush(sink);
      },
      end: flush,
    });
  },
};
