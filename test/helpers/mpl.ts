import { readLog } from '../../src/io/read-log.js';
import type { Run } from '../../src/core/run.js';
import { prepareRun } from '../../src/io/prepare-run.js';
import { parseSchedule } from '../../src/schedule/schedule.js';
import { FIXTURES } from './cli.js';

/** Schedules of the MPL fixture runs (see fixtures/README.md). */
export const MPL_SCHEDULES: Record<string, string> = {
  constant_24000: 'constant:peak=3e-4,warmup=2160,total=24000',
  constant_72000: 'constant:peak=3e-4,warmup=2160,total=72000',
  cosine_24000: 'cosine:peak=3e-4,warmup=2160,total=24000,final=3e-5',
  cosine_72000: 'cosine:peak=3e-4,warmup=2160,total=72000,final=3e-5',
  wsd_20000_24000: 'wsd:peak=3e-4,warmup=2160,total=24000,decay=4000,shape=exponential,final=3e-5',
  wsdld_20000_24000: 'wsd:peak=3e-4,warmup=2160,total=24000,decay=4000,shape=linear,final=3e-5',
  wsdcon_3: 'twostage:peak=3e-4,warmup=2160,total=16000,switch=8000,second=3e-5',
  wsdcon_9: 'twostage:peak=3e-4,warmup=2160,total=16000,switch=8000,second=9e-5',
  wsdcon_18: 'twostage:peak=3e-4,warmup=2160,total=16000,switch=8000,second=1.8e-4',
};

/** Loads one MPL fixture run with its schedule; the protocol drops the row at step 24000. */
export async function mplRun(size: '25M' | '100M' | '400M', name: string): Promise<Run> {
  const curve = await readLog(`${FIXTURES}mpl-${size}/${name}.csv`);
  if (name.endsWith('_24000') && curve.train) {
    const keep = curve.train.steps.map((s) => s < 24000);
    curve.train = { steps: curve.train.steps.filter((_, i) => keep[i]), values: curve.train.values.filter((_, i) => keep[i]) };
  }
  return prepareRun({ curve, schedule: parseSchedule(MPL_SCHEDULES[name]), label: name });
}
