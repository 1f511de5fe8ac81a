/** A tiny TensorBoard event-file writer for tests (TFRecord framing + the Event protobuf fields we read). */
import { maskedCrc32c } from '../../src/io/tensorboard/crc32c.js';

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 128) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function key(field: number, wire: number): number[] {
  return varint(field * 8 + wire);
}

function bytesField(field: number, payload: Uint8Array | number[]): number[] {
  return [...key(field, 2), ...varint(payload.length), ...payload];
}

function float32(x: number): number[] {
  const b = Buffer.alloc(4);
  b.writeFloatLE(x);
  return [...b];
}

function float64(x: number): number[] {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return [...b];
}

/** How a scalar is stored: PyTorch's simple_value, or a TF2 scalar tensor (float_val or tensor_content). */
export type ScalarEncoding = 'simple' | 'tensor-float' | 'tensor-content-double';

/** One serialized Event holding one scalar. */
export function scalarEvent(step: number, tag: string, value: number, encoding: ScalarEncoding = 'simple'): Uint8Array {
  let valueMsg: number[] = bytesField(1, [...Buffer.from(tag, 'utf8')]);
  if (encoding === 'simple') valueMsg = [...valueMsg, ...key(2, 5), ...float32(value)];
  else if (encoding === 'tensor-float') valueMsg = [...valueMsg, ...bytesField(8, [...key(1, 0), ...varint(1), ...bytesField(5, float32(value))])];
  else valueMsg = [...valueMsg, ...bytesField(8, [...key(1, 0), ...varint(2), ...bytesField(4, float64(value))])];
  const summary = bytesField(1, valueMsg);
  const event = [...key(1, 1), ...float64(1.7e9 + step), ...key(2, 0), ...varint(step), ...bytesField(5, summary)];
  return Uint8Array.from(event);
}

/** The first Event of every file: wall_time and file_version "brain.Event:2". */
export function versionEvent(): Uint8Array {
  return Uint8Array.from([...key(1, 1), ...float64(1.7e9), ...bytesField(3, [...Buffer.from('brain.Event:2')])]);
}

/** Frames records as a TFRecord file. */
export function tfrecordFile(records: Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const data of records) {
    const header = Buffer.alloc(12);
    header.writeBigUInt64LE(BigInt(data.length), 0);
    header.writeUInt32LE(maskedCrc32c(header.subarray(0, 8)), 8);
    const footer = Buffer.alloc(4);
    footer.writeUInt32LE(maskedCrc32c(data), 0);
    parts.push(header, Buffer.from(data), footer);
  }
  return Buffer.concat(parts);
}
