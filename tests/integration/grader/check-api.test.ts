// Checking and solving steps through the HTTP API of a real server: a failing check answers 200 with
// the message, the command to reproduce it and the evidence; a passed step stays passed in the
// session object; a lab started again keeps the learner's record.
import { beforeAll, describe, expect, it } from 'vitest';
import type { StepResult } from '@/grader';
import { useServer } from '../../support/server';

const server = useServer('check-api');
let session: { id: string; token: string; steps: { id: string; passed: boolean; attempts: number }[] };
const auth = () => ({ Authorization: `Bearer ${session.token}` });
const post = (url: string) => fetch(`${server.url}${url}`, { method: 'POST', headers: auth() });

beforeAll(async () => {
  session = (await (
    await fetch(`${server.url}/api/labs/grading-demo/sessions`, { method: 'POST' })
  ).json()) as typeof session;
});

describe('check and solve API', () => {
  it('a failing check is a 200 with what to know, what to run and what decided it', async () => {
    const response = await post(`/api/sessions/${session.id}/steps/hello-file/check`);
    expect(response.status).toBe(200);
    const result = (await response.json()) as StepResult;
    expect(result).toMatchObject({ stepId: 'hello-file', passed: false });
    expect(result.checks[0]).toMatchObject({
      passed: false,
      message: '/home/learner/app/hello.txt does not exist yet.',
      command: 'cat /home/learner/app/hello.txt',
    });
  });

  it('a step that requires an earlier one says so without running', async () => {
    const result = (await (
      await post(`/api/sessions/${session.id}/steps/server/check`)
    ).json()) as StepResult;
    expect(result.passed).toBe(false);
    expect(result.checks[0]?.message).toBe('Finish hello-file first.');
  });

  it('solve applies the reference solution, and the check then passes and is remembered', async () => {
    expect(await (await post(`/api/sessions/${session.id}/steps/hello-file/solve`)).json()).toEqual({
      applied: true,
    });
    const result = (await (
      await post(`/api/sessions/${session.id}/steps/hello-file/check`)
    ).json()) as StepResult;
    expect(result.passed).toBe(true);
    const view = (await (
      await fetch(`${server.url}/api/sessions/${session.id}`, { headers: auth() })
    ).json()) as typeof session;
    expect(view.steps.find((step) => step.id === 'hello-file')).toEqual({
      id: 'hello-file',
      title: 'Write hello.txt',
      hint: 'echo keiko > hello.txt',
      passed: true,
      attempts: 2,
    });
  });

  it('an http check that fails names the status or the error, with a curl line to reproduce it', async () => {
    const result = (await (
      await post(`/api/sessions/${session.id}/steps/server/check`)
    ).json()) as StepResult;
    expect(result.passed).toBe(false);
    expect(result.checks[0]?.message).toMatch(
      /no answer \(.*(Failed to connect|Connection refused|Couldn't connect).*\)/,
    );
    expect(result.checks[0]?.command).toBe('curl -sS -i http://127.0.0.1:8080/hello/keiko');
  }, 60_000);

  it('unknown steps and other sessions answer 404', async () => {
    expect((await post(`/api/sessions/${session.id}/steps/nope/check`)).status).toBe(404);
    expect(
      (await fetch(`${server.url}/api/sessions/${session.id}/steps/hello-file/check`, { method: 'POST' }))
        .status,
    ).toBe(404);
  });
});
