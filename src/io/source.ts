/**
 * Opening a log: a file path, a gzip-compressed file, or "-" for standard input.
 * Gives a short head of the text for format detection and a way to stream the whole text.
 * Anything that is not a regular file (a pipe, `<(…)` process substitution, a device) is read
 * once as a stream, like standard input. A regular file that changes size while it is read
 * (truncated or rewritten under losscast) is an error, not a silently shorter log.
 */
import { createReadStream, promises as fs, statSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { dataError } from '../errors.js';
import { decodeText, guessEncoding, type TextEncoding, toUtf8 } from '../text/encoding.js';

/** A log ready to be sniffed and streamed. */
export interface LogSource {
  /** Path as the user gave it ("-" for stdin). */
  path: string;
  /** The first bytes of the (decompressed, decoded) text, for detecting the format. */
  head: string;
  /** The same first bytes, raw (binary formats such as TensorBoard event files). */
  headBytes: Buffer;
  /** Streams the whole (decompressed) text from the start, as UTF-8 without byte-order mark. */
  open(): Readable;
  /** Streams the raw (decompressed) bytes, for binary formats. */
  openBytes(): Readable;
  /** What the user should know about how the file was decoded (an encoding other than UTF-8). */
  notes: string[];
  /** The encoding the text was decoded from. */
  encoding: TextEncoding;
}

/** How much of a log format detection sees: its first 1 MiB. */
export const HEAD_BYTES = 1024 * 1024;

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Thrown by readAll when a stream holds more than its limit. */
export class TooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} bytes`);
  }
}

/** Reads a whole stream into one buffer (for formats that are one document); TooLargeError past `limit` bytes. */
export async function readAll(stream: NodeJS.ReadableStream, limit = Infinity): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of stream) {
    const chunk = Buffer.isBuffer(part) ? part : Buffer.from(part as string);
    size += chunk.length;
    if (size > limit) {
      (stream as Readable).destroy?.();
      throw new TooLargeError(limit);
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** A one-line error for a stream that failed while a log was read (a truncated gzip file, a vanished file, …). */
export function readError(err: unknown, path: string): Error {
  if ((err as { exitCode?: number }).exitCode !== undefined) return err as Error;
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return dataError(`looks gzip-compressed but cannot be decompressed (${(err as Error).message}); the file is truncated or damaged: check that the download is complete`, path);
  }
  return dataError(`cannot read (${code ?? (err as Error).message})`, path);
}

/**
 * Most bytes of a log read whole (a JSON document): a JavaScript string holds at most 512 MiB, and
 * JSON.parse needs the whole text as one string. JSON lines are streamed without such a limit.
 */
export const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024 - 64;

/** The one-line error for a document over `limit` bytes; `advice` says what to do instead. */
export function tooLargeError(path: string, limit: number, advice: string): Error {
  return dataError(`is larger than ${Math.round(limit / 1048576)} MiB, the most losscast reads whole; ${advice}`, path);
}

/** The whole (decompressed, decoded) text of a source as UTF-8 bytes, with one-line errors. */
export async function readSourceText(source: LogSource): Promise<Buffer> {
  try {
    return await readAll(source.open(), MAX_DOCUMENT_BYTES);
  } catch (err) {
    if (err instanceof TooLargeError) throw tooLargeError(source.path, err.limit, 'a JSON document must be parsed whole: save the records as JSON lines (one object per line), which are streamed');
    throw readError(err, source.path);
  }
}

/** `source.pipe(target)`, with an error of `source` passed on to `target` (pipe alone drops it). */
export function pipeWithErrors<T extends NodeJS.WritableStream & Readable>(source: Readable, target: T): T {
  source.on('error', (err) => target.destroy(err));
  return source.pipe(target);
}

/**
 * Reads up to `n` bytes of a stream that can be read only once (stdin), and gives them with a
 * stream of everything (those bytes, then the rest): nothing beyond the head is buffered.
 */
async function peek(stream: Readable, n: number): Promise<{ head: Buffer; whole: Readable }> {
  const iterator = stream[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let size = 0;
  while (size < n) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as string);
    parts.push(chunk);
    size += chunk.length;
  }
  const head = Buffer.concat(parts);
  async function* everything(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as string);
    }
  }
  return { head: head.subarray(0, n), whole: Readable.from(everything()) };
}

/**
 * A log that can be read only once — standard input, a pipe, `<(…)`, a device — streamed (never
 * held whole): its head is peeked, then the same stream goes on.
 */
async function onceSource(path: string, stream: Readable): Promise<LogSource> {
  let head: Buffer;
  let whole: Readable;
  try {
    ({ head, whole } = await peek(stream, HEAD_BYTES));
    if (isGzip(head)) ({ head, whole } = await peek(pipeWithErrors(whole, createGunzip()), HEAD_BYTES));
  } catch (err) {
    throw readError(err, path);
  }
  let opened = false;
  const what = path === '-' ? 'standard input' : 'a pipe';
  return textSource(path, head, () => {
    if (opened) throw dataError(`${what} can be read only once; save it to a file to read it again`, path);
    opened = true;
    return whole;
  });
}

/** A source over raw bytes (`open` gives them again from the start), decoded per the guess from its first bytes. */
function textSource(path: string, headBytes: Buffer, openBytes: () => Readable): LogSource {
  const guess = guessEncoding(headBytes);
  return {
    path,
    head: decodeText(headBytes, guess),
    headBytes,
    openBytes,
    open: () => (guess.encoding === 'utf-8' && guess.bom === 0 ? openBytes() : pipeWithErrors(openBytes(), toUtf8(guess))),
    notes: guess.note ? [guess.note] : [],
    encoding: guess.encoding,
  };
}

/** Reports bytes read so far out of the file's size (for progress on large logs). */
export type ByteProgress = (done: number, total: number) => void;

/**
 * Why a read says the file shrank while it was read, or null when it did not (read whole, or grown:
 * a log still being written). `sizeNow` is undefined when the file is gone (deleted after opening:
 * its bytes were still read whole).
 */
export function sizeChange(sizeAtOpen: number, bytesRead: number, sizeNow: number | undefined): string | null {
  if (bytesRead >= sizeAtOpen && (sizeNow === undefined || sizeNow >= bytesRead)) return null;
  const now = sizeNow === undefined ? '' : `, ${sizeNow.toLocaleString('en-US')} now`;
  return `changed size while it was read (${sizeAtOpen.toLocaleString('en-US')} bytes when opened, ${bytesRead.toLocaleString('en-US')} read${now}): it was truncated or rewritten meanwhile; read it again once it is complete`;
}

/**
 * A read stream of the file that reports the bytes it has read, and fails at its end when the
 * file shrank during the read (the bytes read fall short of the size at opening, or exceed the
 * size now).
 */
function countedStream(path: string, size: number, onProgress?: ByteProgress): Readable {
  let done = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      onProgress?.(done, size);
      callback(null, chunk);
    },
    flush(callback) {
      let now: number | undefined;
      try {
        now = statSync(path).size;
      } catch {
        now = undefined; // deleted meanwhile: its bytes were still read
      }
      const change = sizeChange(size, done, now);
      callback(change ? dataError(change, path) : null);
    },
  });
  return pipeWithErrors(createReadStream(path), check);
}

/** True when `path` can be opened and read again (a regular file or a folder; not "-", a pipe or a device). */
export async function canReadTwice(path: string): Promise<boolean> {
  if (path === '-') return false;
  try {
    const stat = await fs.stat(path);
    return stat.isFile() || stat.isDirectory();
  } catch {
    return true; // missing: the read that follows says so
  }
}

/**
 * Opens `path` (or stdin for "-"); throws a one-line error for a missing or unreadable file.
 * `onProgress` hears how many bytes of the file each full read has consumed.
 */
export async function openLog(path: string, onProgress?: ByteProgress): Promise<LogSource> {
  if (path === '-') return onceSource('-', process.stdin);
  let handle;
  try {
    handle = await fs.open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw dataError('no such file; check the path', path);
    if (code === 'EISDIR') throw dataError('is a folder, not a log file; name a file inside it', path);
    if (code === 'EACCES') throw dataError('permission denied; check that you can read it', path);
    throw dataError(`cannot open (${code ?? 'unknown error'})`, path);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw dataError('is a folder, not a log file; name a file inside it', path);
    if (!stat.isFile()) {
      // a pipe, <(…), a device: its bytes can be read once, in order (a positioned read fails with ESPIPE)
      const stream = createReadStream(path, { fd: handle }); // the stream owns the handle now
      handle = undefined;
      return await onceSource(path, stream);
    }
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    const { size } = stat;
    const first = buf.subarray(0, bytesRead);
    if (isGzip(first)) return textSource(path, await readGzipHead(path), () => pipeWithErrors(countedStream(path, size, onProgress), createGunzip()));
    return textSource(path, Buffer.from(first), () => countedStream(path, size, onProgress));
  } catch (err) {
    if ((err as { exitCode?: number }).exitCode) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw dataError('is a folder, not a log file; name a file inside it', path);
    throw dataError(`cannot read (${code ?? String(err)})`, path);
  } finally {
    await handle?.close();
  }
}

async function readGzipHead(path: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  const stream = createReadStream(path).pipe(createGunzip());
  try {
    for await (const part of stream) {
      parts.push(part as Buffer);
      size += (part as Buffer).length;
      if (size >= HEAD_BYTES) break;
    }
  } catch {
    if (size === 0) throw dataError('looks gzip-compressed but cannot be decompressed; check that the download is complete', path);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, HEAD_BYTES);
}
