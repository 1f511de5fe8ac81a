/** Plain CSV / TSV with a header row (also the MPL research CSVs `step,lr,loss`). */
import { readDelimited, sniffDelimiter } from '../tabular.js';
import type { LogFormat } from './types.js';

export const csvFormat: LogFormat = {
  name: 'csv',
  description: 'CSV/TSV with a header row naming step, loss and (optionally) lr columns',
  detect(head) {
    const first = head.split(/\r?\n/, 1)[0] ?? '';
    if (first.trim() === '' || /^\s*[[{]/.test(first)) return 0;
    const delimiter = sniffDelimiter(head);
    return first.includes(delimiter) ? 10 : 1;
  },
  read: (source, options) => readDelimited(source, options),
};
