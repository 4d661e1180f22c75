'use client';

import { useEffect, useState } from 'react';

type Theme = 'system' | 'light' | 'dark';
const NEXT: Record<Theme, Theme> = { system: 'dark', dark: 'light', light: 'system' };
const LABEL: Record<Theme, string> = { system: 'Theme: system', dark: 'Theme: dark', light: 'Theme: light' };
export const THEME_KEY = 'keiko.theme';

/** Applied before the first paint (the layout's inline script), so a dark page never flashes light. */
export const THEME_SCRIPT = `try{var t=localStorage.getItem('${THEME_KEY}');if(t==='light'||t==='dark')document.documentElement.dataset.theme=t}catch(e){}`;

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>('system');
  useEffect(() => {
    const stored = localStorage.getItem(THEME_KEY);
    if (stored === 'light' || stored === 'dark') setTheme(stored);
  }, []);
  const choose = () => {
    const next = NEXT[theme];
    setTheme(next);
    if (next === 'system') {
      localStorage.removeItem(THEME_KEY);
      delete document.documentElement.dataset.theme;
    } else {
      localStorage.setItem(THEME_KEY, next);
      document.documentElement.dataset.theme = next;
    }
  };
  return (
    <button
      className="theme-toggle"
      onClick={choose}
      aria-label={`${LABEL[theme]}; switch`}
      title={LABEL[theme]}
    >
      {theme === 'system' ? '◐' : theme === 'dark' ? '☾' : '☀'}
    </button>
  );
}
