/**
 * Small typed arrays carved out of shared 8 KiB ArrayBuffers, the way Node pools small Buffers.
 * Every received packet needs a payload copy and a decoded frame; as arrays of their own each is a
 * separate off-heap allocation that the garbage collector must later sweep, which at hundreds of
 * calls is a visible share of the media thread. Views never overlap, so each array behaves as its
 * own; like a pooled Buffer, its `.buffer` is the shared slab (always use byteOffset).
 */
const SLAB_BYTES = 8 * 1024;
/** Larger arrays get an ArrayBuffer of their own, so one kept frame pins little memory. */
const MAX_SLICE_BYTES = 1024;

let slab = new ArrayBuffer(SLAB_BYTES);
let used = 0;

function take(bytes: number): { buffer: ArrayBuffer; offset: number } {
  if (bytes > MAX_SLICE_BYTES) return { buffer: new ArrayBuffer(bytes), offset: 0 };
  const aligned = (bytes + 7) & ~7;
  if (used + aligned > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const offset = used;
  used += aligned;
  return { buffer: slab, offset };
}

/** A zero-filled Int16Array of `length` samples. */
export function slabInt16(length: number): Int16Array {
  const { buffer, offset } = take(length * 2);
  return new Int16Array(buffer, offset, length);
}

/** A copy of `bytes[from, to)` that shares nothing with `bytes`. */
export function slabCopy(bytes: Uint8Array, from = 0, to = bytes.length): Uint8Array {
  const n = Math.max(0, to - from);
  const { buffer, offset } = take(n);
  const out = new Uint8Array(buffer, offset, n);
  out.set(bytes.subarray(from, from + n));
  return out;
}
