/**
 * Typed access to the values of a parsed spec: learning rates, step counts given as
 * fractions of total or absolute steps, lists, choices. Every error names the key.
 */
import { usageError } from '../errors.js';
import type { ParsedSpec } from './spec.js';

/**
 * Turns a step-valued setting into whole steps. The rule: a value strictly between 0 and 1
 * is a fraction of `total`; 0 or a whole number ≥ 1 is an absolute step count.
 */
export function resolveSteps(value: number, total: number | undefined, describe: () => string): number {
  if (!Number.isFinite(value) || value < 0) throw usageError(`${describe()} must be ≥ 0`);
  if (value > 0 && value < 1) {
    if (total === undefined) throw usageError(`${describe()} is a fraction of total; give total=STEPS`);
    return Math.round(value * total);
  }
  if (!Number.isInteger(value)) throw usageError(`${describe()} must be a fraction below 1 or a whole number of steps`);
  return value;
}

/** Reads the values of one spec for its family, with errors naming the key. */
export class SpecReader {
  readonly total: number | undefined;
  constructor(
    readonly spec: ParsedSpec,
    total: number | undefined,
  ) {
    this.total = total;
  }

  private where(key: string): string {
    return `schedule "${this.spec.text}": ${key}`;
  }

  /** Raw text of a key, or undefined. */
  raw(key: string): string | undefined {
    return this.spec.values.get(key);
  }

  has(key: string): boolean {
    return this.spec.values.has(key);
  }

  /** The key's value as a finite number, the fallback when absent, or an error naming the key. */
  private finiteValue(key: string, fallback?: number): { value: number; raw?: string } {
    const raw = this.raw(key);
    if (raw === undefined) {
      if (fallback === undefined) throw usageError(`${this.where(key)} is required`);
      return { value: fallback };
    }
    const value = Number(raw);
    if (!Number.isFinite(value)) throw usageError(`${this.where(key)}="${raw}" is not a number`);
    return { value, raw };
  }

  /** A plain number with optional bounds. */
  number(key: string, fallback?: number, min = -Infinity, max = Infinity): number {
    const { value, raw } = this.finiteValue(key, fallback);
    if (raw !== undefined && (value < min || value > max)) throw usageError(`${this.where(key)}=${raw} must be between ${min} and ${max}`);
    return value;
  }

  /** A learning rate: a number ≥ 0. */
  lr(key: string, fallback?: number): number {
    const raw = this.raw(key);
    if (raw !== undefined && Number(raw) < 0) throw usageError(`${this.where(key)}=${raw}: a learning rate cannot be negative`);
    return this.number(key, fallback, 0);
  }

  /** A step count: a fraction of total (0 < v < 1) or whole steps. */
  steps(key: string, fallback?: number): number {
    const { value, raw } = this.finiteValue(key, fallback);
    if (raw === undefined) return value;
    return resolveSteps(value, this.total, () => `${this.where(key)}=${raw}`);
  }

  /** A "/"-separated list of numbers. */
  numberList(key: string): number[] | undefined {
    const raw = this.raw(key);
    if (raw === undefined) return undefined;
    return raw.split('/').map((part) => {
      const v = Number(part.trim());
      if (part.trim() === '' || !Number.isFinite(v)) throw usageError(`${this.where(key)}: "${part}" is not a number (lists use "/", e.g. 0.8/0.9)`);
      return v;
    });
  }

  /** A "/"-separated list of step counts; all fractions or all absolute. */
  stepList(key: string): number[] | undefined {
    const values = this.numberList(key);
    if (values === undefined) return undefined;
    return values.map((v) => resolveSteps(v, this.total, () => `${this.where(key)} entry ${v}`));
  }

  /** One of a fixed set of words. */
  choice<T extends string>(key: string, options: readonly T[], fallback: T): T {
    const raw = this.raw(key);
    if (raw === undefined) return fallback;
    const value = raw.toLowerCase() as T;
    if (!options.includes(value)) throw usageError(`${this.where(key)}="${raw}" is not one of ${options.join(', ')}`);
    return value;
  }

  /** Throws a usage error naming the key. */
  fail(key: string, message: string): never {
    throw usageError(`${this.where(key)}${message.startsWith('=') ? '' : ' '}${message}`);
  }
}
