'use client';

import { useEffect, type RefObject } from 'react';

/**
 * Makes an element a tab stop while its content overflows it (WCAG 2.1.1: a region that scrolls
 * must scroll from the keyboard, with the arrow keys once focused), and leaves it out of the tab
 * order when everything fits, so short code blocks cost a keyboard user no extra key presses.
 */
export function useScrollableFocus(ref: RefObject<HTMLElement | null>, content?: unknown): void {
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const update = () => {
      const scrolls =
        element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1;
      if (scrolls) element.tabIndex = 0;
      else element.removeAttribute('tabindex');
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, content]);
}
