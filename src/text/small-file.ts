/**
 * Reading a small document the user gave (a params file, a manifest, a candidates file, a
 * per-step LR file, a compare result) with a size cap, so that `/dev/zero` or a wrong multi-GB
 * file is a clear error instead of an exhausted memory, and with the encodings logs get (a UTF-8
 * byte-order mark, UTF-16, Windows-1252).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { dataError } from '../errors.js';
import { decodeText, guessEncoding } from './encoding.js';

/** The size cap of a small document: 64 MiB (a per-step LR file of several million steps fits). */
export const MAX_SMALL_FILE_BYTES = 64 * 1024 * 1024;

/** Reads a whole small file ("-" = stdin) as text; `what` names it in errors ("params file", …). */
export function readSmallFile(path: string, what: string, maxBytes = MAX_SMALL_FILE_BYTES, fail = dataError): string {
  let fd: number;
  try {
    fd = path === '-' ? 0 : openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? `no such ${what}; check the path` : code === 'EISDIR' ? `is a folder, not a ${what}` : `cannot read the ${what} (${code ?? String(err)})`, path);
  }
  const parts: Buffer[] = [];
  let size = 0;
  try {
    const chunk = Buffer.alloc(1 << 16);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue; // a non-blocking stdin with no data yet
        if (code === 'EOF') break;
        throw fail(code === 'EISDIR' ? `is a folder, not a ${what}` : `cannot read the ${what} (${code ?? String(err)})`, path);
      }
      if (n === 0) break;
      size += n;
      if (size > maxBytes) throw fail(`is larger than ${Math.round(maxBytes / 1048576)} MiB, far more than a ${what} holds; is it the right file?`, path);
      parts.push(Buffer.from(chunk.subarray(0, n)));
    }
  } finally {
    if (fd !== 0) closeSync(fd);
  }
  const bytes = Buffer.concat(parts);
  return decodeText(bytes, guessEncoding(bytes));
}
