import { describe, expect, it } from 'vitest';
import { suiteTraits } from './ciphers';

describe('suiteTraits', () => {
  it('reads strength, AEAD and forward secrecy from OpenSSL names', () => {
    expect(suiteTraits('ECDHE-RSA-AES256-GCM-SHA384')).toMatchObject({
      bits: 256,
      aead: true,
      forwardSecrecy: true,
    });
    expect(suiteTraits('ECDHE-RSA-CHACHA20-POLY1305')).toMatchObject({ bits: 256, aead: true });
    expect(suiteTraits('ECDHE-RSA-AES128-SHA')).toMatchObject({
      bits: 128,
      aead: false,
      forwardSecrecy: true,
    });
    expect(suiteTraits('AES128-SHA')).toMatchObject({ bits: 128, aead: false, forwardSecrecy: false });
    expect(suiteTraits('DHE-RSA-CAMELLIA256-SHA')).toMatchObject({ bits: 256, forwardSecrecy: true });
  });

  it('treats every TLS 1.3 suite as AEAD with forward secrecy', () => {
    expect(suiteTraits('TLS_AES_128_GCM_SHA256')).toMatchObject({
      bits: 128,
      aead: true,
      forwardSecrecy: true,
    });
    expect(suiteTraits('TLS_CHACHA20_POLY1305_SHA256')).toMatchObject({ bits: 256 });
    expect(suiteTraits('TLS_AES_128_CCM_8_SHA256')).toMatchObject({ bits: 128, aead: true });
  });

  it('flags the suites that cap a grade', () => {
    expect(suiteTraits('ADH-AES256-GCM-SHA384')).toMatchObject({ anonymous: true, forwardSecrecy: false });
    expect(suiteTraits('AECDH-NULL-SHA')).toMatchObject({ anonymous: true, bits: 0 });
    expect(suiteTraits('NULL-SHA256')).toMatchObject({ bits: 0 });
    expect(suiteTraits('DES-CBC3-SHA')).toMatchObject({ bits: 112, smallBlock: true });
    expect(suiteTraits('EDH-RSA-DES-CBC-SHA')).toMatchObject({ bits: 56, smallBlock: true });
    expect(suiteTraits('RC4-SHA')).toMatchObject({ bits: 128, rc4: true });
    expect(suiteTraits('EXP-RC4-MD5')).toMatchObject({ bits: 40, export: true });
  });

  it('says it does not know a name rather than guess its strength', () => {
    expect(suiteTraits('GOST2012-KUZNYECHIK-KUZNYECHIKOMAC').bits).toBeNull();
  });
});
