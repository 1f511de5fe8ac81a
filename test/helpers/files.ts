/** Helpers the hostile-input tests share: a scratch folder to write inputs in, and the one-line error check. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';

/** A new scratch folder, and a function that writes a file in it and returns its path. */
export function scratchFolder(prefix: string): { dir: string; file: (name: string, content: string | Buffer) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
}

/** The command ended with `code` and exactly one "losscast:" line matching `pattern`: no stack trace, no internal error. */
export function expectOneLineError(r: { code: number | null; stderr: string }, code: number, pattern: RegExp): void {
  expect(r.stderr).toMatch(pattern);
  expect(r.code).toBe(code);
  expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('losscast:'))).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error|Maximum call stack/);
}
