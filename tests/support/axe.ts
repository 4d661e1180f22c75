import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// axe-core's own bundle (the `source` string), injected into the page as it is published: the audit
// runs in the page's real DOM and styles, as the axe browser extensions run it.
const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  /** One line per element: its selector and axe's summary of what fails there. */
  nodes: string[];
}

interface AxeResultShape {
  violations: {
    id: string;
    impact?: string | null;
    help: string;
    nodes: { target: unknown[]; failureSummary?: string }[];
  }[];
}

/** The impacts that fail an audit: a serious or critical barrier to someone. */
const BLOCKING = new Set(['serious', 'critical']);

/**
 * Runs axe-core (every WCAG 2.x A/AA rule and the best practices it enables by default) on the page
 * as it is now, and returns the serious and critical violations, readable in a test's failure.
 */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<unknown> } }).axe;
    return (await axe.run(document)) as unknown;
  });
  return (result as AxeResultShape).violations
    .filter((violation) => BLOCKING.has(violation.impact ?? ''))
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact ?? '',
      help: violation.help,
      nodes: violation.nodes.map(
        (node) => `${node.target.join(' ')}: ${(node.failureSummary ?? '').replace(/\s+/g, ' ')}`,
      ),
    }));
}
