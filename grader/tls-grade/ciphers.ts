/** What the rating needs to know of one cipher suite, read from its OpenSSL (or TLS 1.3 IANA) name. */
export interface SuiteTraits {
  /** Symmetric strength in bits; null when the name is not one this table knows. */
  bits: number | null;
  aead: boolean;
  forwardSecrecy: boolean;
  /** No server authentication (ADH, AECDH): anyone in the middle can read the traffic. */
  anonymous: boolean;
  export: boolean;
  rc4: boolean;
  /** 64-bit block ciphers (3DES, DES, IDEA): SWEET32. */
  smallBlock: boolean;
}

/**
 * Bits by cipher, most specific first. 3DES counts as 112 bits, its real strength against a
 * meet-in-the-middle attack, as SSL Labs rates it (testssl says 168, the key length).
 */
const BITS: [RegExp, number][] = [
  [/^EXP/, 40],
  [/(^|[-_])NULL([-_]|$)/, 0],
  [/DES[-_]CBC3|3DES|DES[-_]EDE/, 112],
  [/(^|[-_])DES([-_]CBC)?([-_]|$)/, 56],
  [/CHACHA20/, 256],
  [/(AES|CAMELLIA|ARIA)[-_]?256/, 256],
  [/(AES|CAMELLIA|ARIA)[-_]?128/, 128],
  [/RC4|SEED|IDEA/, 128],
];

export function suiteTraits(name: string): SuiteTraits {
  const tls13 = name.startsWith('TLS_') && !name.includes('_WITH_');
  const anonymous = /^(ADH|AECDH)-|_anon_/.test(name);
  return {
    bits: BITS.find(([pattern]) => pattern.test(name))?.[1] ?? null,
    aead: tls13 || /GCM|CHACHA20|CCM/.test(name),
    forwardSecrecy: !anonymous && (tls13 || /^(ECDHE|DHE|EDH)-|_(ECDHE|DHE)_/.test(name)),
    anonymous,
    export: name.startsWith('EXP'),
    rc4: name.includes('RC4'),
    smallBlock: /DES|IDEA/.test(name),
  };
}
