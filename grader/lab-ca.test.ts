import { describe, expect, it } from 'vitest';
import { LAB_CA_PROBE_DIR } from '@/grader';
import type { ExecInSessionOptions } from '@/sandbox';
import { installLabCa, installLabCaOrEnd, LAB_CA_SCRIPT, splitLabCaOutput } from './lab-ca';

const SPLIT = '-----KEIKO-LAB-CA-SPLIT-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nleaf\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n';
const CA = '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n';

function fakeSandbox(probeOutput: string, probeExit = 0) {
  const execs: ExecInSessionOptions[] = [];
  const files: { path: string; content: string; mode?: number }[] = [];
  const stopped: string[] = [];
  return {
    execs,
    files,
    stopped,
    async exec(_id: string, options: ExecInSessionOptions) {
      execs.push(options);
      const probe = options.in === 'probe';
      return {
        exitCode: probe ? probeExit : 0,
        stdout: probe ? probeOutput : '',
        stderr: probe ? 'boom' : '',
        timedOut: false,
        truncated: false,
        durationMs: 1,
      };
    },
    async writeFile(_id: string, path: string, content: Buffer, mode?: number) {
      files.push({ path, content: content.toString(), mode });
    },
    async stop(id: string) {
      stopped.push(id);
    },
  };
}

describe('the lab CA', () => {
  it('is made in the probe, and the lab gets the certificate, its key and the CA certificate', async () => {
    const sandbox = fakeSandbox(`${CERT}${SPLIT}${KEY}${SPLIT}${CA}`);
    await installLabCa(sandbox, 's_1', {
      names: ['example.test', 'www.example.test'],
      certDir: '/home/learner/tls',
    });
    const [make, mkdir] = sandbox.execs;
    expect(make).toMatchObject({ in: 'probe' });
    expect(make!.argv.slice(4)).toEqual([
      LAB_CA_PROBE_DIR,
      'example.test',
      'DNS:example.test,DNS:www.example.test',
    ]);
    expect(mkdir).toMatchObject({ argv: ['mkdir', '-p', '/home/learner/tls'] });
    expect(mkdir!.in).toBeUndefined();
    expect(sandbox.files).toEqual([
      { path: '/home/learner/tls/cert.pem', content: CERT, mode: 0o644 },
      { path: '/home/learner/tls/key.pem', content: KEY, mode: 0o600 },
      { path: '/home/learner/tls/ca.pem', content: CA, mode: 0o644 },
    ]);
  });

  it("deletes the CA's private key in the probe once the leaf is signed", () => {
    expect(LAB_CA_SCRIPT).toMatch(/rm -f ca\.key leaf\.key/);
    expect(LAB_CA_SCRIPT).toMatch(/umask 077/);
  });

  it('refuses output that is not three PEM blocks', () => {
    expect(() => splitLabCaOutput(`${CERT}${SPLIT}${CA}`)).toThrow(/did not print/);
    expect(splitLabCaOutput(`${CERT}${SPLIT}${KEY}${SPLIT}${CA}`)).toEqual({ cert: CERT, key: KEY, ca: CA });
  });

  it('ends the session when the CA cannot be made, so no half-prepared lab is handed out', async () => {
    const sandbox = fakeSandbox('', 1);
    await expect(
      installLabCaOrEnd(sandbox, 's_2', { names: ['example.test'], certDir: '/home/learner/tls' }),
    ).rejects.toThrow(/could not be prepared.*lab CA could not be made/);
    expect(sandbox.stopped).toEqual(['s_2']);
    expect(sandbox.files).toEqual([]);
  });
});
