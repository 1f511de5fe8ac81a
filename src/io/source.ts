/**
 * Opening a log: a file path, a gzip-compressed file, or "-" for standard input.
 * Gives a short head of the text for format detection and a way to stream the whole text.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { dataError } from '../errors.js';

/** A log ready to be sniffed and streamed. */
export interface LogSource {
  /** Path as the user gave it ("-" for stdin). */
  path: string;
  /** The first bytes of the (decompressed) text, for detecting the format. */
  head: string;
  /** The same first bytes, raw (binary formats such as TensorBoard event files). */
  headBytes: Buffer;
  /** Streams the whole (decompressed) text from the start. */
  open(): Readable;
}

const HEAD_BYTES = 1024 * 1024;

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Reads a whole stream into one buffer (for formats that are one document, and stdin). */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.isBuffer(part) ? part : Buffer.from(part as string));
  return Buffer.concat(parts);
}

function fromBuffer(path: string, raw: Buffer): LogSource {
  let text = raw;
  if (isGzip(raw)) {
    try {
      text = gunzipSync(raw);
    } catch {
      throw dataError('looks gzip-compressed but cannot be decompressed; check that the download is complete', path);
    }
  }
  const headBytes = text.subarray(0, HEAD_BYTES);
  return { path, head: headBytes.toString('utf8'), headBytes, open: () => Readable.from([text]) };
}

/** Reports bytes read so far out of the file's size (for progress on large logs). */
export type ByteProgress = (done: number, total: number) => void;

/** A read stream of the file that reports the bytes it has read. */
function countedStream(path: string, size: number, onProgress?: ByteProgress): Readable {
  const stream = createReadStream(path);
  if (onProgress) {
    let done = 0;
    stream.on('data', (chunk) => {
      done += chunk.length;
      onProgress(done, size);
    });
  }
  return stream;
}

/**
 * Opens `path` (or stdin for "-"); throws a one-line error for a missing or unreadable file.
 * `onProgress` hears how many bytes of the file each full read has consumed.
 */
export async function openLog(path: string, onProgress?: ByteProgress): Promise<LogSource> {
  if (path === '-') return fromBuffer('-', await readAll(process.stdin));
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
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    const { size } = await handle.stat();
    const first = buf.subarray(0, bytesRead);
    if (isGzip(first)) {
      const headBytes = await readGzipHead(path);
      return { path, head: headBytes.toString('utf8'), headBytes, open: () => countedStream(path, size, onProgress).pipe(createGunzip()) };
    }
    return { path, head: first.toString('utf8'), headBytes: Buffer.from(first), open: () => countedStream(path, size, onProgress) };
  } catch (err) {
    if ((err as { exitCode?: number }).exitCode) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw dataError('is a folder, not a log file; name a file inside it', path);
    throw dataError(`cannot read (${code ?? String(err)})`, path);
  } finally {
    await handle.close();
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
