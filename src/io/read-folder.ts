/**
 * Logs that are folders rather than files: a TensorBoard run folder (event files, possibly
 * in sub-folders) or an MLflow run folder (`metrics/<name>` files).
 */
import { promises as fs } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { dataError } from '../errors.js';
import type { ColumnChoice } from './columns.js';
import type { Curve } from '../core/curve.js';
import { curveFromMetricFiles } from './formats/mlflow.js';
import { curveFromEventFiles } from './formats/tensorboard.js';
import { openLog } from './source.js';

async function listFiles(dir: string, depth: number): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw dataError(`cannot list the folder (${(err as NodeJS.ErrnoException).code ?? String(err)})`, dir);
  }
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory() && depth > 0) out.push(...(await listFiles(full, depth - 1)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Sub-folder names whose event files hold validation scalars. */
const VALIDATION_DIRS = new Set(['validation', 'val', 'eval', 'evaluation']);

/** True when `path` is a folder (false for files and missing paths). */
export async function isFolder(path: string): Promise<boolean> {
  return fs.stat(path).then((s) => s.isDirectory(), () => false);
}

/** What kind of log folder `path` is, or null when it is neither. */
export async function folderKind(path: string): Promise<'tensorboard' | 'mlflow' | null> {
  const files = await listFiles(path, 4);
  if (files.some((f) => basename(f).includes('tfevents'))) return 'tensorboard';
  if (basename(path) === 'metrics' || (await isFolder(join(path, 'metrics')))) return 'mlflow';
  return null;
}

/** Reads a TensorBoard or MLflow run folder into a Curve; a clear error for any other folder. */
export async function readFolder(path: string, columns: ColumnChoice = {}, format?: string): Promise<Curve> {
  const kind = await folderKind(path);
  if (kind === null || (format !== undefined && format !== kind)) {
    throw dataError('is a folder; name a log file inside it, a TensorBoard run folder (with events.out.tfevents.* files) or an MLflow run folder (with metrics/)', path);
  }
  if (kind === 'tensorboard') {
    const files = (await listFiles(path, 4)).filter((f) => basename(f).includes('tfevents'));
    files.sort((a, b) => (basename(a) < basename(b) ? -1 : basename(a) > basename(b) ? 1 : a < b ? -1 : 1));
    // Keras writes <run>/train/ and <run>/validation/ with the same tags: the validation ones become validation/<tag>
    const loaded = await Promise.all(files.map(async (f) => ({ path: f, bytes: await fs.readFile(f), ...(VALIDATION_DIRS.has(basename(join(f, '..'))) ? { tagPrefix: 'validation/' } : {}) })));
    return curveFromEventFiles(path, loaded, columns);
  }
  const metricsDir = basename(path) === 'metrics' ? path : join(path, 'metrics');
  const files = await listFiles(metricsDir, 4);
  const metricFiles = await Promise.all(files.map(async (f) => ({ name: relative(metricsDir, f).split(sep).join('/'), source: await openLog(f) })));
  return curveFromMetricFiles(path, metricFiles, columns);
}

