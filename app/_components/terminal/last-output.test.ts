import { describe, expect, it } from 'vitest';
import { lastOutput } from './last-output';

const rows = (...texts: string[]) => texts.map((text) => ({ text, wrapped: false }));
const PROMPT = 'learner@lab:~/app$ ';

describe('lastOutput', () => {
  it('is the rows between the command and the next prompt', () => {
    expect(lastOutput(rows('total 4', '-rw-r--r-- 1 learner learner 42 app.py', PROMPT), PROMPT)).toBe(
      'total 4\n-rw-r--r-- 1 learner learner 42 app.py',
    );
  });

  it('keeps output that had no final newline, with the prompt that followed it taken off', () => {
    expect(lastOutput(rows(`Hello World!${PROMPT}`), PROMPT)).toBe('Hello World!');
  });

  it('joins a long line wrapped at the terminal width back into one', () => {
    expect(
      lastOutput(
        [
          { text: 'aaaa', wrapped: false },
          { text: 'bbbb', wrapped: true },
          { text: PROMPT, wrapped: false },
        ],
        PROMPT,
      ),
    ).toBe('aaaabbbb');
  });

  it('keeps the last row of a command still running (no prompt yet)', () => {
    expect(
      lastOutput(rows('Bottle v0.12.23 server starting up', 'Listening on http://127.0.0.1:8080/'), PROMPT),
    ).toBe('Bottle v0.12.23 server starting up\nListening on http://127.0.0.1:8080/');
  });

  it('finds the prompt from the command row when the command was sent before the prompt showed', () => {
    expect(lastOutput(rows('hi', PROMPT), '', `${PROMPT}echo hi`)).toBe('hi');
    expect(lastOutput(rows(`Hello World!${PROMPT}`), '', `${PROMPT}curl 127.0.0.1:8080/hello`)).toBe(
      'Hello World!',
    );
  });

  it('is empty for a command that printed nothing', () => {
    expect(lastOutput(rows(PROMPT), PROMPT)).toBe('');
  });
});
