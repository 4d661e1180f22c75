import { describe, expect, it } from 'vitest';
import { ContentError } from './errors';
import { parseLabDefinition } from './lab-definition';

const FILE = 'labs/demo/lab.yaml';

describe('parseLabDefinition', () => {
  it('reads a lab with its steps', () => {
    const lab = parseLabDefinition(
      FILE,
      'id: demo\ntitle: A demo\nimage: bottle\nsteps:\n  - id: hello\n    title: Say hello\n',
    );
    expect(lab).toMatchObject({
      id: 'demo',
      image: 'bottle',
      steps: [{ id: 'hello', title: 'Say hello' }],
      dir: 'labs/demo',
    });
  });

  it('points at the line and field of a wrong value', () => {
    const text = 'id: demo\ntitle: A demo\nimage: bottle\nsteps:\n  - id: Hello World\n    title: x\n';
    expect(() => parseLabDefinition(FILE, text)).toThrow(
      'labs/demo/lab.yaml:5:9 steps.0.id: use lowercase letters',
    );
  });

  it('points at the parent of a missing field', () => {
    try {
      parseLabDefinition(FILE, 'id: demo\nimage: bottle\n');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ContentError);
      expect((error as ContentError).message).toMatch(/^labs\/demo\/lab\.yaml:1:1 title: /);
    }
  });

  it('points at a bad labCa field: a relative certDir, a name that is no DNS name', () => {
    const lab = (labCa: string) => `id: demo\ntitle: t\nimage: apache\nlabCa:\n${labCa}`;
    expect(() => parseLabDefinition(FILE, lab('  names: [example.test]\n  certDir: tls\n'))).toThrow(
      /lab\.yaml:6:\d+ labCa\.certDir: an absolute path inside the sandbox/,
    );
    expect(() =>
      parseLabDefinition(FILE, lab('  names: ["not a name"]\n  certDir: /home/learner/tls\n')),
    ).toThrow(/lab\.yaml:5:\d+ labCa\.names\.0/);
  });

  it('names an unknown field at its own line', () => {
    expect(() => parseLabDefinition(FILE, 'id: demo\ntitle: t\nimage: bottle\nimgae: x\n')).toThrow(
      /lab\.yaml:4:1 .*imgae/,
    );
  });

  it('reports broken YAML with its line', () => {
    expect(() => parseLabDefinition(FILE, 'id: demo\ntitle: [unclosed\nimage: bottle\n')).toThrow(
      /lab\.yaml:\d+:\d+ YAML: /,
    );
  });
});

describe('the fixture labs', () => {
  it('load with their checks and solutions', async () => {
    const { loadLabs } = await import('./lab-definition');
    const labs = loadLabs(new URL('../tests/fixtures/labs', import.meta.url).pathname);
    const grading = labs.find((lab) => lab.id === 'grading-demo');
    expect(grading?.steps.map((step) => [step.id, step.checks.length, step.solution])).toEqual([
      ['hello-file', 1, 'solutions/hello-file.sh'],
      ['server', 3, 'solutions/server.sh'],
      ['tls', 3, 'solutions/tls.sh'],
    ]);
    expect(grading?.steps[1]?.checks[0]).toMatchObject({ retries: 10, delayMs: 500, timeoutMs: 10_000 });
  });
});

describe('parseLabDefinition on checks of the newer kinds', () => {
  const withCheck = (check: string) =>
    `id: x\ntitle: X\nimage: bottle\nsteps:\n  - id: a\n    title: A\n    checks:\n      - ${check}\n`;
  const problem = (check: string) => {
    try {
      parseLabDefinition(FILE, withCheck(check));
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  };

  it('names the field of the kind the author wrote, not "invalid input"', () => {
    expect(problem('dns: { name: a.test, type: CAAA }')).toMatch(
      /^labs\/demo\/lab\.yaml:8:\d+ steps\.0\.checks\.0\.dns\.type: /,
    );
    expect(problem('websocket: { url: "http://x/" }')).toMatch(/websocket\.url: a ws:\/\/ or wss:\/\/ URL$/);
  });

  it('refuses a parallel http check that asks about bodies', () => {
    expect(problem('http: { url: "http://x/", parallel: 4, expect: { bodyContains: x } }')).toMatch(
      /checks\.0\.http: a parallel check decides from statuses and times only/,
    );
  });

  it('reads sequence, websocket and dns checks with their defaults', () => {
    const lab = parseLabDefinition(
      FILE,
      withCheck('websocket: { url: "ws://127.0.0.1:8000/ws" }') +
        '      - dns: { name: example.test, type: CAA, port: 5354 }\n' +
        '      - sequence: { requests: [{ url: "http://127.0.0.1:8080/", tamperCookie: n, expect: {} }] }\n',
    );
    expect(lab.steps[0]?.checks).toMatchObject([
      { websocket: { send: 'keiko says hello', expect: { echo: true }, insecure: false } },
      { dns: { server: '127.0.0.1', expect: { status: 'NOERROR' } } },
      { sequence: { requests: [{ method: 'GET', tamperCookie: 'n' }] } },
    ]);
  });

  it('reads the ports a lab declares for the lab panel, TLS ones with the name their certificate has', () => {
    const text =
      'id: demo\ntitle: t\nimage: bottle\nports:\n  - { port: 8080, label: Bottle }\n' +
      '  - { port: 8443, label: HTTPS, tls: true, servername: bottle.test }\n';
    expect(parseLabDefinition(FILE, text).ports).toEqual([
      { port: 8080, label: 'Bottle', tls: false },
      { port: 8443, label: 'HTTPS', tls: true, servername: 'bottle.test' },
    ]);
    expect(parseLabDefinition(FILE, 'id: demo\ntitle: t\nimage: bottle\n').ports).toEqual([]);
  });

  it('reports a hint keyed by a failure that does not exist, and a changesLab that is not a boolean, at their lines', () => {
    const lab = (extra: string) =>
      'id: demo\ntitle: t\nimage: bottle\nsteps:\n  - id: s\n    title: S\n    checks:\n' +
      '      - port: { port: 8080 }\n' +
      extra;
    expect(() => parseLabDefinition(FILE, lab('        hints: { refsued: nothing listens }\n'))).toThrow(
      /:9:\d+ steps\.0\.checks\.0\.hints/,
    );
    expect(() => parseLabDefinition(FILE, lab('        changesLab: sometimes\n'))).toThrow(
      /:9:\d+ steps\.0\.checks\.0\.changesLab/,
    );
  });

  it('refuses a port twice, a port out of range, and a servername that is no DNS name', () => {
    const lab = (ports: string) => `id: demo\ntitle: t\nimage: bottle\nports:\n${ports}`;
    expect(() =>
      parseLabDefinition(FILE, lab('  - { port: 80, label: a }\n  - { port: 80, label: b }\n')),
    ).toThrow(/each port once/);
    expect(() => parseLabDefinition(FILE, lab('  - { port: 70000, label: a }\n'))).toThrow(/ports\.0\.port/);
    expect(() => parseLabDefinition(FILE, lab('  - { port: 443, label: a, servername: "x y" }\n'))).toThrow(
      /a DNS name/,
    );
  });
});

describe('the landed labs', () => {
  it('give every check hints keyed by how it fails, and every check that connects one for "refused"', async () => {
    const { loadLabs } = await import('./index');
    const labs = loadLabs(new URL('../labs', import.meta.url).pathname);
    expect(labs.length).toBeGreaterThan(0);
    const connects = ['http', 'sequence', 'tls', 'tls-grade', 'websocket', 'port', 'dns'];
    for (const lab of labs)
      for (const step of lab.steps)
        for (const check of step.checks) {
          const where = `${lab.id}/${step.id}: ${check.name ?? JSON.stringify(check)}`;
          expect(Object.keys(check.hints ?? {}).length, where).toBeGreaterThan(0);
          if (connects.some((kind) => kind in check)) expect(check.hints?.refused, where).toBeTruthy();
        }
  });
});
