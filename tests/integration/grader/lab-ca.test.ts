// The lab CA of lab.yaml's `labCa` (grader/lab-ca.ts) on the real engine: made in the probe, its
// key nowhere afterwards, the lab's certificate signed by it, trusted by tls-grade from the probe's
// own copy (so the grade is a letter, not T), and a new CA for every session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckSchema } from '@/grader';
import { LAB_CA_PROBE_DIR, LAB_CA_PROBE_FILE, runCheck } from '@/grader';
import { installLabCa, readProbeScripts } from '@/grader';
import { labImageTag } from '@/sandbox';
import { PROJECT_ROOT } from '../../support/cli';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

const DIR = '/home/learner/tls';
const SPEC = { names: ['example.test', 'www.example.test'], certDir: DIR };
const probeScripts = readProbeScripts(PROJECT_ROOT);

let fixture: SandboxFixture;
let first: string;
let second: string;

const run = (sessionId: string, script: string, target: 'lab' | 'probe' = 'lab') =>
  fixture.manager.exec(sessionId, { argv: ['bash', '-c', script], in: target });

beforeAll(async () => {
  fixture = sandboxFixture();
  const ids = await Promise.all(
    [0, 1].map(async () => (await startLab(fixture, undefined, labImageTag('apache'))).id),
  );
  first = ids[0]!;
  second = ids[1]!;
  await Promise.all(ids.map((id) => installLabCa(fixture.manager, id, SPEC)));
}, 180_000);
afterAll(() => fixture?.dispose());

describe('the lab CA', () => {
  it('gives the lab a certificate for its names, signed by the CA, with a key only the learner reads', async () => {
    const result = await run(
      first,
      `cd ${DIR} && stat -c '%n %U %a' cert.pem key.pem ca.pem &&
       openssl verify -CAfile ca.pem cert.pem &&
       openssl x509 -in cert.pem -noout -ext subjectAltName | tail -1 &&
       [ "$(openssl x509 -in cert.pem -noout -pubkey)" = "$(openssl pkey -in key.pem -pubout)" ] && echo key-matches`,
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('cert.pem learner 644');
    expect(result.stdout).toContain('key.pem learner 600');
    expect(result.stdout).toContain('cert.pem: OK');
    expect(result.stdout).toContain('DNS:example.test, DNS:www.example.test');
    expect(result.stdout).toContain('key-matches');
  });

  it("keeps only the CA's certificate in the probe, and the CA's key nowhere", async () => {
    const probe = await run(first, `ls ${LAB_CA_PROBE_DIR}; cat ${LAB_CA_PROBE_FILE}`, 'probe');
    expect(probe.exitCode, probe.stderr).toBe(0);
    expect(probe.stdout.split('\n')[0]).toBe('ca.pem');
    const lab = await run(first, `cat ${DIR}/ca.pem`);
    expect(probe.stdout).toContain(lab.stdout.trim());
    const keys = await run(first, `grep -rl 'PRIVATE KEY' /home/learner /tmp 2>/dev/null`);
    expect(keys.stdout.trim()).toBe(`${DIR}/key.pem`);
  });

  it('makes a different CA for every session (a reset is a new session)', async () => {
    const fingerprint = async (id: string) =>
      (await run(id, `openssl x509 -in ${DIR}/ca.pem -noout -fingerprint -sha256`)).stdout.trim();
    expect(await fingerprint(first)).not.toBe(await fingerprint(second));
  });

  it('is trusted by tls-grade without a caFile, so a server with its certificate gets a letter, not T', async () => {
    const started = await run(
      first,
      `cd ${DIR} && setsid nohup openssl s_server -accept 8443 -cert cert.pem -key key.pem -www -quiet \
         > s_server.log 2>&1 < /dev/null &
       until (exec 3<>/dev/tcp/127.0.0.1/8443) 2>/dev/null; do sleep 0.1; done`,
    );
    expect(started.exitCode, started.stderr).toBe(0);
    const check = CheckSchema.parse({
      'tls-grade': { port: 8443, servername: 'example.test', expect: { minGrade: 'A-' } },
      timeoutMs: 20_000,
    });
    const result = await runCheck(check, fixture.manager, first, probeScripts);
    expect(result.tlsGrade?.trustProblem, result.evidence).toBeNull();
    expect(result.tlsGrade?.grade).not.toBe('T');
  });
});
