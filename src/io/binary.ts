/**
 * Recognising files that are not text logs at all (a checkpoint, an archive, random bytes), so
 * the user is told what the file looks like instead of a CSV error listing garbage as columns.
 */

/** File signatures worth naming, checked at the start of the file. */
const MAGIC: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive (a PyTorch .pt/.pth checkpoint, an .npz or a .zip?)' },
  { bytes: [0x50, 0x4b, 0x05, 0x06], what: 'an empty zip archive' },
  { bytes: [0x89, 0x48, 0x44, 0x46], what: 'an HDF5 file (Keras .h5 weights?)' },
  { bytes: [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], what: 'a NumPy .npy array' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x42, 0x5a, 0x68], what: 'a bzip2-compressed file (decompress it first)' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'an xz-compressed file (decompress it first)' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'a zstd-compressed file (decompress it first)' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'an executable (ELF)' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'an SQLite database' },
];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** A safetensors file: an 8-byte little-endian header length, then a JSON header. */
function isSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10 || bytes[8] !== 0x7b) return false;
  const length = bytes[0] + bytes[1] * 256 + bytes[2] * 65536 + bytes[3] * 16777216;
  return bytes[4] === 0 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0 && length > 1 && length < 1e8;
}

/** A Python pickle: protocol 2–5 start with 0x80 and the protocol number. */
function isPickle(bytes: Uint8Array): boolean {
  return bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5;
}

/**
 * What a file that is not text looks like ("a zip archive (…)", "binary data"), or null when it
 * looks like text. `bytes` are the first bytes of the (decompressed) file.
 */
export function describeBinary(bytes: Uint8Array): string | null {
  for (const m of MAGIC) if (startsWith(bytes, m.bytes)) return m.what;
  if (isSafetensors(bytes)) return 'a safetensors file (model weights)';
  if (isPickle(bytes)) return 'a Python pickle (a torch.save or pickle.dump file?)';
  const n = Math.min(bytes.length, 8192);
  let nul = 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) nul++;
    else if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x1b && b !== 0x0c) control++;
  }
  if (nul > 0 || control > 0.05 * n) return 'binary data';
  return null;
}
