/**
 * Text encodings of logs: UTF-8 (with or without a byte-order mark), UTF-16 LE/BE (with a BOM,
 * or recognised by its zero bytes), and Windows-1252 as the fallback for bytes that are not
 * valid UTF-8 (e.g. a CSV saved by Excel with "lr (µ)" in its header). Everything is handed on
 * as UTF-8 without BOM, so the readers only ever see UTF-8.
 */
import { Transform } from 'node:stream';

/** An encoding losscast decodes. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** What the first bytes say about a text's encoding. */
export interface EncodingGuess {
  encoding: TextEncoding;
  /** Bytes of byte-order mark to drop. */
  bom: number;
  /** A sentence for the user when the encoding was not plain UTF-8. */
  note?: string;
}

/** True when `bytes` look like UTF-16 without a BOM: text whose every other byte is 0. */
function utf16Without(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 8) return null;
  let zeroOdd = 0;
  let zeroEven = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const pairs = n / 2;
  if (zeroOdd > 0.4 * pairs && zeroEven < 0.05 * pairs) return 'utf-16le';
  if (zeroEven > 0.4 * pairs && zeroOdd < 0.05 * pairs) return 'utf-16be';
  return null;
}

/** True when `bytes` are valid UTF-8 (a sequence cut at the end is allowed). */
function validUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Guesses the encoding of a text from its first bytes. */
export function guessEncoding(bytes: Uint8Array): EncodingGuess {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bom: 2, note: 'decoded as UTF-16LE (byte-order mark)' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bom: 2, note: 'decoded as UTF-16BE (byte-order mark)' };
  const utf16 = utf16Without(bytes);
  if (utf16) return { encoding: utf16, bom: 0, note: `decoded as ${utf16.toUpperCase()} (no byte-order mark; every other byte is 0)` };
  if (validUtf8(bytes)) return { encoding: 'utf-8', bom: 0 };
  return { encoding: 'windows-1252', bom: 0, note: 'is not valid UTF-8: decoded as Windows-1252 (check odd characters in column names; save the file as UTF-8 to be sure)' };
}

/** Decodes a whole buffer with a guess, dropping its BOM. */
export function decodeText(bytes: Uint8Array, guess: EncodingGuess): string {
  return new TextDecoder(guess.encoding).decode(bytes.subarray(guess.bom));
}

/** A stream transform from the guessed encoding to UTF-8 without BOM (a pass-through for plain UTF-8). */
export function toUtf8(guess: EncodingGuess): Transform {
  const decoder = new TextDecoder(guess.encoding);
  let skip = guess.bom;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      let bytes = chunk;
      if (skip > 0) {
        const cut = Math.min(skip, bytes.length);
        bytes = bytes.subarray(cut);
        skip -= cut;
      }
      if (guess.encoding === 'utf-8') return done(null, bytes);
      done(null, Buffer.from(decoder.decode(bytes, { stream: true }), 'utf8'));
    },
    flush(done) {
      if (guess.encoding === 'utf-8') return done();
      const rest = decoder.decode();
      done(null, rest ? Buffer.from(rest, 'utf8') : undefined);
    },
  });
}
