import { describe, expect, it } from 'vitest';
import { shellQuote } from './shell-quote';

describe('shellQuote', () => {
  it('leaves plain words alone and quotes the rest, single quotes included', () => {
    expect(shellQuote(['curl', '-w', '%{json}', 'https://lab.test:8000/a?b=c d', "it's"])).toBe(
      "curl -w '%{json}' 'https://lab.test:8000/a?b=c d' 'it'\\''s'",
    );
  });
});
