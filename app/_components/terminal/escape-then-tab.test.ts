import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { escapeThenTab, type KeyEventLike } from './escape-then-tab';

const key = (name: string, extra: Partial<KeyEventLike> = {}): KeyEventLike => ({
  type: 'keydown',
  key: name,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  ...extra,
});

describe('escapeThenTab', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('Escape then Tab: neither reaches the shell, and Tab is left to the browser (the focus moves)', () => {
    const sent = vi.fn();
    const keep = escapeThenTab(sent);
    expect(keep(key('Escape'))).toBe(true);
    expect(keep(key('Escape', { type: 'keyup' }))).toBe(true);
    expect(keep(key('Tab'))).toBe(true);
    vi.advanceTimersByTime(5000);
    expect(sent).not.toHaveBeenCalled();
  });

  it('Shift+Tab after Escape leaves backwards the same way', () => {
    const sent = vi.fn();
    const keep = escapeThenTab(sent);
    keep(key('Escape'));
    expect(keep(key('Shift'))).toBe(false);
    expect(keep(key('Tab'))).toBe(true);
    expect(sent).not.toHaveBeenCalled();
  });

  it('Escape then another key sends the Escape first, and the key goes on to the terminal', () => {
    const sent = vi.fn();
    const keep = escapeThenTab(sent);
    keep(key('Escape'));
    expect(keep(key(':'))).toBe(false);
    expect(sent).toHaveBeenCalledTimes(1);
  });

  it('a lone Escape (vi leaving insert mode) is sent when the moment passes', () => {
    const sent = vi.fn();
    const keep = escapeThenTab(sent, 600);
    keep(key('Escape'));
    vi.advanceTimersByTime(599);
    expect(sent).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(sent).toHaveBeenCalledTimes(1);
  });

  it('Tab without an Escape before it stays the shell completion', () => {
    const keep = escapeThenTab(vi.fn());
    expect(keep(key('Tab'))).toBe(false);
  });

  it('two Escapes send the first at once', () => {
    const sent = vi.fn();
    const keep = escapeThenTab(sent);
    keep(key('Escape'));
    keep(key('Escape'));
    expect(sent).toHaveBeenCalledTimes(1);
  });
});
