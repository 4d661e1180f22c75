// The tls-grade check against real TLS servers in a lab: Python's http.server over ssl, with a
// certificate from a lab CA made with openssl in the lab (as lesson 16 does), in the variants a learner
// could configure. The check's findings are cross-checked against Debian's testssl.sh in the probe.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CheckSchema } from '@/grader';
import { runCheck, type CheckResult } from '@/grader';
import { readProbeScripts } from '@/grader';
import { PROJECT_ROOT } from '../../support/cli';
import { sandboxFixture, startLab, type SandboxFixture } from '../../support/sandbox';

const FIXTURES = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'tls-grade');
const DIR = '/home/learner/tls';
const CA = `${DIR}/pki/ca.pem`;
const probeScripts = readProbeScripts(PROJECT_ROOT);

/** One server per variant, each on its own port. */
const SERVERS = {
  intermediateHsts: { port: 8443, args: '--cert pki/server.pem --key pki/server.key --hsts 63072000' },
  intermediate: { port: 8444, args: '--cert pki/server.pem --key pki/server.key' },
  legacy: { port: 8445, args: '--cert pki/server.pem --key pki/server.key --legacy' },
  selfSigned: { port: 8446, args: '--cert pki/self-signed.pem --key pki/self-signed.key --hsts 63072000' },
  shortHsts: { port: 8447, args: '--cert pki/server.pem --key pki/server.key --hsts 86400' },
} as const;

let fixture: SandboxFixture;
let sessionId: string;

const lab = (script: string, stdin?: string) =>
  fixture.manager.exec(sessionId, { argv: ['bash', '-c', script], ...(stdin ? { stdin } : {}) });

beforeAll(async () => {
  fixture = sandboxFixture();
  sessionId = (await startLab(fixture)).id;
  for (const file of ['make-certs.sh', 'tls-server.py']) {
    const copied = await lab(
      `mkdir -p ${DIR} && cat > ${DIR}/${file}`,
      fs.readFileSync(path.join(FIXTURES, file), 'utf8'),
    );
    expect(copied.exitCode, copied.stderr).toBe(0);
  }
  const certs = await lab(`sh ${DIR}/make-certs.sh ${DIR}/pki`);
  expect(certs.exitCode, certs.stderr).toBe(0);
  const start = Object.values(SERVERS)
    .map(
      ({ port, args }) =>
        `setsid nohup python3 tls-server.py --port ${port} ${args} > ${port}.log 2>&1 < /dev/null &`,
    )
    .join('\n');
  const waits = Object.values(SERVERS)
    .map(({ port }) => `until (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null; do sleep 0.1; done`)
    .join('\n');
  const started = await lab(`cd ${DIR}\n${start}\n${waits}`);
  expect(started.exitCode, started.stderr).toBe(0);
}, 120_000);
afterAll(() => fixture?.dispose());

async function grade(port: number, extra: { caFile?: string; minGrade?: string } = {}) {
  const check = CheckSchema.parse({
    name: `grade of ${port}`,
    'tls-grade': {
      port,
      servername: 'lab.test',
      ...(extra.caFile ? { caFile: extra.caFile } : {}),
      expect: { minGrade: extra.minGrade ?? 'A' },
    },
    timeoutMs: 10_000,
  });
  const started = performance.now();
  const result = await runCheck(check, fixture.manager, sessionId, probeScripts);
  const seconds = (performance.now() - started) / 1000;
  console.log(`${port}: ${seconds.toFixed(1)} s\n${result.message}\n${result.evidence}\n`);
  return { ...result, seconds, ...readEvidence(result) };
}

/** The grade, score and protocol list as the check's own evidence states them for the learner. */
function readEvidence(result: CheckResult) {
  const head = /^grade (\S+).*, score (\d+)/.exec(result.evidence);
  const protocols = /^protocol \(30%\)\s+\d+\s+\d+\s+(.*)$/m.exec(result.evidence)?.[1] ?? '';
  return {
    grade: head?.[1],
    score: Number(head?.[2]),
    protocols: protocols.split(', ').filter(Boolean),
    caps: [...result.evidence.matchAll(/^- ([A-F]): (.*)$/gm)].map((m) => `${m[1]}: ${m[2]}`),
  };
}

describe('tls-grade on real servers', () => {
  it('grades TLS 1.2+1.3, RSA-2048, AES-GCM with two years of HSTS A+ (score 93), in well under a minute', async () => {
    const result = await grade(SERVERS.intermediateHsts.port, { caFile: CA });
    expect(result.grade).toBe('A+');
    expect(result.score).toBe(93);
    expect(result.protocols).toEqual(['TLS 1.2', 'TLS 1.3']);
    expect(result.evidence).toMatch(/^protocol \(30%\)\s+100\s+30/m);
    expect(result.evidence).toMatch(/^key exch\. \(30%\)\s+90\s+27\s+RSA 2048 bits/m);
    expect(result.evidence).toMatch(/^cipher \(40%\)\s+90\s+36/m);
    expect(result.caps).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.message).toMatch(/grade A\+ \(score 93\)/);
    expect(result.command).toMatch(/^openssl s_client -connect 127\.0\.0\.1:8443 -servername lab\.test/);
    expect(result.seconds).toBeLessThan(30);
  });

  it('keeps the same server without HSTS at A, saying HSTS is what is missing', async () => {
    const result = await grade(SERVERS.intermediate.port, { caFile: CA, minGrade: 'A+' });
    expect(result.grade).toBe('A');
    expect(result.score).toBe(93);
    expect(result.passed).toBe(false);
    expect(result.message).toMatch(/not A\+ because no Strict-Transport-Security header is sent/);
  });

  it('lowers a 1-day HSTS max-age to A- with a warning', async () => {
    const result = await grade(SERVERS.shortHsts.port, { caFile: CA });
    expect(result.grade).toBe('A-');
    expect(result.evidence).toMatch(/HSTS max-age is 86400 s/);
    expect(result.passed).toBe(false);
  });

  it('caps TLS 1.0/1.1 with level-0 ciphers at B, naming TLS 1.0 as the reason', async () => {
    const result = await grade(SERVERS.legacy.port, { caFile: CA });
    expect(result.protocols).toEqual(['TLS 1.0', 'TLS 1.1', 'TLS 1.2', 'TLS 1.3']);
    expect(result.grade).toBe('B');
    expect(result.caps).toContain('B: TLS 1.0 is offered');
    expect(result.caps).toContain('B: TLS 1.1 is offered');
    expect(result.message).toMatch(/grade B \(score \d+\), capped at B because TLS 1\.0 is offered/);
    expect(result.passed).toBe(false);
    expect(result.seconds).toBeLessThan(45);
  });

  it('grades a self-signed certificate T without a caFile, though the rest would be A+', async () => {
    const result = await grade(SERVERS.selfSigned.port);
    expect(result.grade).toBe('T');
    expect(result.message).toMatch(/the certificate is self-signed \(A\+ if it were trusted\)/);
    expect(result.passed).toBe(false);
  });

  it('grades T for a certificate from a lab CA the check was not told to trust', async () => {
    const result = await grade(SERVERS.intermediateHsts.port);
    expect(result.grade).toBe('T');
    expect(result.message).toMatch(/issuer is not trusted/);
  });

  it('fails with a clear message when the caFile does not exist in the lab', async () => {
    const result = await grade(SERVERS.intermediateHsts.port, { caFile: `${DIR}/missing.pem` });
    expect(result.passed).toBe(false);
    expect(result.message).toMatch(/could not be read/);
  });
});

const TestsslFindingsSchema = z.array(
  z.object({ id: z.string(), severity: z.string(), finding: z.string() }).loose(),
);
const TESTSSL_IDS = { TLS1: 'TLS 1.0', TLS1_1: 'TLS 1.1', TLS1_2: 'TLS 1.2', TLS1_3: 'TLS 1.3' } as const;

/** Debian testssl.sh 3.0.8 in the probe: protocols only (it has no rating), as flat JSON findings. */
async function testsslProtocols(port: number) {
  const result = await fixture.manager.exec(sessionId, {
    in: 'probe',
    argv: [
      'bash',
      '-c',
      `f=$(mktemp -u /tmp/testssl-XXXXXX.json) && testssl --quiet --color 0 --warnings off -p --jsonfile "$f" https://127.0.0.1:${port}/ >/dev/null 2>&1; cat "$f"; rm -f "$f"`,
    ],
    timeoutMs: 180_000,
  });
  const findings = TestsslFindingsSchema.parse(JSON.parse(result.stdout));
  const finding = (id: string) => findings.find((f) => f.id === id)?.finding ?? 'missing';
  console.log(
    `testssl ${port}: ${findings
      .filter((f) => /^(SSLv|TLS1)/.test(f.id))
      .map((f) => `${f.id}=${f.finding}`)
      .join(', ')}`,
  );
  return {
    offered: Object.entries(TESTSSL_IDS)
      .filter(([id]) => finding(id).startsWith('offered'))
      .map(([, label]) => label),
    ssl: [finding('SSLv2'), finding('SSLv3')],
  };
}

describe('tls-grade agrees with testssl.sh', () => {
  it('finds the same protocols offered as testssl.sh on the legacy and the intermediate server', async () => {
    for (const server of [SERVERS.legacy, SERVERS.intermediateHsts]) {
      const ours = await grade(server.port, { caFile: CA });
      const theirs = await testsslProtocols(server.port);
      expect(theirs.offered).toEqual(ours.protocols);
      // The probe cannot offer SSL 2/3 and rates them as absent: testssl, which can, must agree.
      expect(theirs.ssl).toEqual(['not offered', 'not offered']);
    }
  }, 300_000);
});
