'use client';

import { useEffect, useState } from 'react';

type Theme = 'system' | 'light' | 'dark';
const NEXT: Record<Theme, Theme> = { system: 'dark', dark: 'light', light: 'system' };
const LABEL: Record<Theme, string> = { system: 'Theme: system', dark: 'Theme: dark', light: 'Theme: light' };
export const THEME_KEY = 'keiko.theme';

/**
 * Applied before the first paint (the layout's inline script), so a dark page never flashes light:
 * the learner's choice, or else the system's, followed live while they have not chosen. The style
 * sheet then has one set of dark colours, keyed on data-theme alone.
 */
export const THEME_SCRIPT = `(function(){var d=document.documentElement,m=matchMedia('(prefers-color-scheme: dark)');function apply(){var t=null;try{t=localStorage.getItem('${THEME_KEY}')}catch(e){}d.dataset.theme=t==='light'||t==='dark'?t:m.matches?'dark':'light'}apply();m.addEventListener('change',apply);window.addEventListener('keiko-theme',apply)})()`;

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>('system');
  useEffect(() => {
    const stored = localStorage.getItem(THEME_KEY);
    if (stored === 'light' || stored === 'dark') setTheme(stored);
  }, []);
  const choose = () => {
    const next = NEXT[theme];
    setTheme(next);
    if (next === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, next);
    window.dispatchEvent(new Event('keiko-theme'));
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
