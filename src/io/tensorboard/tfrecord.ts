/**
 * TFRecord framing: repeated [uint64 length][uint32 masked CRC of length][data][uint32
 * masked CRC of data], little-endian. Both CRCs are checked; a record cut off at the end of
 * the file (a log still being written) ends the read quietly.
 */
import { maskedCrc32c } from './crc32c.js';

/** Result of splitting a file into records. */
export interface Records {
  records: Uint8Array[];
  /** True when the file ends in a partial record. */
  truncated: boolean;
}

/** Thrown for a record whose CRC does not match (a corrupt or non-TFRecord file). */
export class RecordError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** True when `bytes` starts with a well-formed TFRecord header (length + its CRC). */
export function looksLikeTfRecord(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(8, true) === maskedCrc32c(bytes.subarray(0, 8));
}

/** Splits a TFRecord file into its records, verifying every CRC. */
export function readRecords(bytes: Uint8Array): Records {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) return { records, truncated: true };
    const low = view.getUint32(at, true);
    const high = view.getUint32(at + 4, true);
    if (view.getUint32(at + 8, true) !== maskedCrc32c(bytes.subarray(at, at + 8))) {
      throw new RecordError(`corrupt record header at byte ${at} (length CRC mismatch)`, at);
    }
    const length = high * 2 ** 32 + low;
    const start = at + 12;
    if (start + length + 4 > bytes.length) return { records, truncated: true };
    const data = bytes.subarray(start, start + length);
    if (view.getUint32(start + length, true) !== maskedCrc32c(data)) {
      throw new RecordError(`corrupt record at byte ${at} (data CRC mismatch)`, at);
    }
    records.push(data);
    at = start + length + 4;
  }
  return { records, truncated: false };
}
