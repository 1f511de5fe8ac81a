/**
 * Decoding the few protobuf fields of a TensorFlow `Event` that scalars need: step (2),
 * summary (5) → value (1) → tag (1), simple_value (2, float) or tensor (8) → dtype (1),
 * tensor_content (4), float_val (5), double_val (6).
 */

/** One scalar read from an event. */
export interface Scalar {
  tag: string;
  step: number;
  value: number;
}

/** Thrown when the bytes are not valid protobuf. */
export class ProtobufError extends Error {}

interface Field {
  number: number;
  wire: number;
  /** varint value (wire 0) */
  varint: number;
  /** start/end of the payload (wire 1, 2, 5) */
  start: number;
  end: number;
}

function readVarint(buf: Uint8Array, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (at >= buf.length) throw new ProtobufError('varint runs past the end');
    const byte = buf[at++];
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return [value, at];
    scale *= 128;
  }
  throw new ProtobufError('varint too long');
}

function* fields(buf: Uint8Array): Generator<Field> {
  let at = 0;
  while (at < buf.length) {
    const [key, next] = readVarint(buf, at);
    at = next;
    const number = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      const [v, after] = readVarint(buf, at);
      yield { number, wire, varint: v, start: at, end: after };
      at = after;
    } else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      if (at + size > buf.length) throw new ProtobufError('fixed field runs past the end');
      yield { number, wire, varint: 0, start: at, end: at + size };
      at += size;
    } else if (wire === 2) {
      const [length, after] = readVarint(buf, at);
      if (after + length > buf.length) throw new ProtobufError('length-delimited field runs past the end');
      yield { number, wire, varint: 0, start: after, end: after + length };
      at = after + length;
    } else throw new ProtobufError(`unsupported wire type ${wire}`);
  }
}

function view(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

function tensorScalar(buf: Uint8Array): number | null {
  let dtype = 0;
  let content: Uint8Array | null = null;
  let value: number | null = null;
  for (const f of fields(buf)) {
    const data = buf.subarray(f.start, f.end);
    if (f.number === 1 && f.wire === 0) dtype = f.varint;
    else if (f.number === 4 && f.wire === 2) content = data;
    else if (f.number === 5 && (f.wire === 5 || f.wire === 2) && data.length >= 4) value ??= view(data).getFloat32(0, true);
    else if (f.number === 6 && (f.wire === 1 || f.wire === 2) && data.length >= 8) value ??= view(data).getFloat64(0, true);
  }
  if (value !== null) return value;
  if (content !== null) {
    if (dtype === 1 && content.length >= 4) return view(content).getFloat32(0, true);
    if (dtype === 2 && content.length >= 8) return view(content).getFloat64(0, true);
  }
  return null;
}

function summaryValue(buf: Uint8Array, step: number, out: Scalar[]): void {
  let tag: string | null = null;
  let value: number | null = null;
  for (const f of fields(buf)) {
    const data = buf.subarray(f.start, f.end);
    if (f.number === 1 && f.wire === 2) tag = Buffer.from(data).toString('utf8');
    else if (f.number === 2 && f.wire === 5) value = view(data).getFloat32(0, true);
    else if (f.number === 8 && f.wire === 2) value ??= tensorScalar(data);
  }
  if (tag !== null && value !== null) out.push({ tag, step, value });
}

/** The scalars of one serialized Event (none for file-version, graph or other events). */
export function eventScalars(buf: Uint8Array): Scalar[] {
  let step = 0;
  const summaries: Uint8Array[] = [];
  for (const f of fields(buf)) {
    if (f.number === 2 && f.wire === 0) step = f.varint;
    else if (f.number === 5 && f.wire === 2) summaries.push(buf.subarray(f.start, f.end));
  }
  const out: Scalar[] = [];
  for (const summary of summaries) {
    for (const f of fields(summary)) if (f.number === 1 && f.wire === 2) summaryValue(summary.subarray(f.start, f.end), step, out);
  }
  return out;
}
