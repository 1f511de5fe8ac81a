/**
 * PyTorch Lightning CSVLogger `metrics.csv`: each row fills only the columns of its own
 * log call (train rows, val rows, `lr-<Optimizer>` rows at the same step). Columns are
 * found by name, so old (insertion-order) and new (alphabetical) layouts both work.
 */
import { readDelimited } from '../tabular.js';
import type { LogFormat } from './types.js';

export const lightningFormat: LogFormat = {
  name: 'lightning',
  description: 'PyTorch Lightning CSVLogger metrics.csv (step and epoch columns, sparse rows)',
  detect(head) {
    const cells = (head.split(/\r?\n/, 1)[0] ?? '').split(',').map((c) => c.trim());
    return cells.includes('step') && cells.includes('epoch') ? 25 : 0;
  },
  read: (source, options) => readDelimited(source, options, 'lightning'),
};
