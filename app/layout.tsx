import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { LiveReload } from './_components/live-reload';
import { isDevelopment } from './_lib/platform.server';
import { THEME_SCRIPT, ThemeToggle } from './_components/theme-toggle';
import { Wordmark } from './_components/wordmark';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Keiko', template: '%s · Keiko' },
  description: 'Hands-on courses with a real Linux sandbox beside every lesson.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The theme script sets data-theme before React runs: the attribute is expected to differ.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        {/* The first tab stop (WCAG 2.4.1): past the header to the page's own content. */}
        <a className="skip-link" href="#content">
          Skip to content
        </a>
        <header className="site-header">
          <a href="/" className="brand">
            Keiko <Wordmark className="wordmark" />
          </a>
          <nav aria-label="Main">
            <a href="/">Courses</a>
            <a href="/status">Status</a>
            <ThemeToggle />
          </nav>
        </header>
        <main id="content" tabIndex={-1}>
          {children}
        </main>
        {isDevelopment() && <LiveReload />}
      </body>
    </html>
  );
}
