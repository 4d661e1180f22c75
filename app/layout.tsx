import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Keiko', template: '%s · Keiko' },
  description: 'Hands-on courses with a real Linux sandbox beside every lesson.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <a href="/" className="brand">
            Keiko <span lang="ja">稽古</span>
          </a>
          <nav aria-label="Main">
            <a href="/">Courses</a>
            <a href="/status">Status</a>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
