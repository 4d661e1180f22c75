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

  it('names an unknown field', () => {
    expect(() => parseLabDefinition(FILE, 'id: demo\ntitle: t\nimage: bottle\nimgae: x\n')).toThrow(
      /lab\.yaml:1:1 .*imgae/,
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
