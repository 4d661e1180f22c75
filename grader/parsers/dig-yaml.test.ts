import { describe, expect, it } from 'vitest';
import { NotDigYamlError, normalizeRecordData, parseDigYaml } from './dig-yaml';
import { fixtureFile } from './fixture-files';

const dig = (name: string) => parseDigYaml(fixtureFile('dig', `${name}.yaml`));

describe('parseDigYaml on dig 9.18 +yaml answers from a real BIND', () => {
  it('reads three CAA records, the status and the authoritative flag', () => {
    const facts = dig('caa-three');
    expect(facts).toMatchObject({ reached: true, status: 'NOERROR', flags: ['qr', 'aa', 'rd'] });
    if (!facts.reached) throw new Error('unreachable');
    expect(facts.answers.map((record) => record.data).sort()).toEqual([
      '0 issue "letsencrypt.org"',
      '0 issuewild ";"',
      '128 iodef "mailto:security@example.test"',
    ]);
    expect(facts.answers[0]).toMatchObject({ name: 'example.test.', ttl: 300, class: 'IN', type: 'CAA' });
  });

  it('reads an A record', () => {
    expect(dig('a-record')).toMatchObject({ status: 'NOERROR', answers: [{ type: 'A', data: '127.0.0.1' }] });
  });

  it('tells NXDOMAIN (dig still exits 0) from a name without records of that type', () => {
    expect(dig('nxdomain')).toMatchObject({ reached: true, status: 'NXDOMAIN', answers: [] });
    expect(dig('nodata')).toMatchObject({ reached: true, status: 'NOERROR', answers: [] });
  });

  it('reads "no servers could be reached" as not reached', () => {
    expect(dig('no-server')).toEqual({ reached: false, error: 'no servers could be reached' });
  });

  it('refuses output that is not +yaml', () => {
    expect(() => parseDigYaml('0 issue "letsencrypt.org"\n')).toThrow(NotDigYamlError);
  });

  it('compares record data whatever the spacing', () => {
    expect(normalizeRecordData('  0   issue  "letsencrypt.org" ')).toBe('0 issue "letsencrypt.org"');
  });
});
