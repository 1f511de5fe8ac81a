/**
 * Finding the step, loss, eval-loss and LR columns of a table or the keys of a JSON record
 * by name, with the aliases trainers actually write.
 */
import { usageError } from '../errors.js';

/** Column (or key) names chosen for each role; any may be absent. */
export interface ColumnChoice {
  step?: string;
  train?: string;
  eval?: string;
  lr?: string;
}

/** Aliases tried in order, compared case-insensitively. */
export const COLUMN_ALIASES = {
  step: ['step', 'global_step', 'iteration', 'iter', '_step', 'current_steps', 'trainer/global_step', 'steps', 'num_updates', 'train/step', 'it'],
  train: [
    'loss', 'train_loss', 'train/loss', 'lm loss', 'lm_loss', 'train/lm_loss', 'metrics/loss', 'train/crossentropyloss',
    'train_loss_step', 'training_loss', 'train/loss_step', 'trl', 'loss_metrics/global_avg_loss', 'reduced_train_loss',
    // Keras TensorBoard callback: per batch (optimizer steps), then per epoch
    'batch_loss', 'epoch_loss',
  ],
  eval: ['val_loss', 'eval_loss', 'eval/loss', 'validation_loss', 'valid_loss', 'val/loss', 'lm loss validation', 'validation/loss', 'validation_metrics/loss', 'val_loss_epoch', 'test_loss', 'tel', 'validation/epoch_loss', 'epoch_val_loss'],
  lr: [
    'lr', 'learning_rate', 'train/lr', 'train/learning_rate', 'learning-rate', 'learning rate', 'train_lr', 'optim/lr',
    'optim/learning_rate', 'lr-adamw', 'lr-adam', 'lr-sgd', 'lr_group0', 'optim/lr-group0',
    // Keras TensorBoard callback
    'batch_learning_rate', 'epoch_learning_rate', 'epoch_lr',
  ],
} as const;

/** A role a column can play. */
export type ColumnRole = keyof typeof COLUMN_ALIASES;

/** Picks, for each role, the first alias present among `names` (a user's explicit choice wins). */
export function chooseColumns(names: readonly string[], explicit: ColumnChoice = {}): ColumnChoice {
  const byLower = new Map<string, string>();
  for (const n of names) if (!byLower.has(n.trim().toLowerCase())) byLower.set(n.trim().toLowerCase(), n);
  const choice: ColumnChoice = {};
  for (const role of Object.keys(COLUMN_ALIASES) as ColumnRole[]) {
    const wanted = explicit[role];
    if (wanted !== undefined) {
      const hit = names.includes(wanted) ? wanted : byLower.get(wanted.trim().toLowerCase());
      if (hit !== undefined) choice[role] = hit;
      continue;
    }
    for (const alias of COLUMN_ALIASES[role]) {
      const hit = byLower.get(alias);
      if (hit !== undefined) {
        choice[role] = hit;
        break;
      }
    }
    if (role === 'lr' && choice.lr === undefined) {
      // PyTorch Lightning's LearningRateMonitor writes lr-<Optimizer>
      const lightning = names.find((n) => /^lr-[A-Za-z]/.test(n.trim()));
      if (lightning !== undefined) choice.lr = lightning;
    }
  }
  // a column explicitly chosen as train loss is never also read as eval loss, and vice versa
  if (choice.train !== undefined && choice.train === choice.eval) {
    if (explicit.eval !== undefined) delete choice.train;
    else delete choice.eval;
  }
  return choice;
}

/** Throws a usage error when a column the user named explicitly is not there. */
export function requireExplicitColumns(names: readonly string[], explicit: ColumnChoice, found: ColumnChoice, file: string): void {
  const flags: Record<ColumnRole, string> = { step: '--step-col', train: '--loss-col', eval: '--eval-col', lr: '--lr-col' };
  for (const role of Object.keys(flags) as ColumnRole[]) {
    if (explicit[role] !== undefined && found[role] === undefined) {
      const shown = names.slice(0, 12).map((n) => JSON.stringify(n)).join(', ');
      throw usageError(`${file}: no column "${explicit[role]}" for ${flags[role]}; columns are ${shown}${names.length > 12 ? ', …' : ''}`);
    }
  }
}
