/** CRC-32 (ISO-HDLC: zip, gzip, PNG), by table. Node's zlib.crc32 only exists from Node 22.2. */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 of `bytes` (reflected polynomial 0xEDB88320), continuing from `crc` so data in pieces can
 * be checksummed without joining it: `crc32(b, crc32(a))` equals the CRC-32 of a followed by b.
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
