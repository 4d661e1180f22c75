// The platform's session API as the learner's own page calls it (same origin, with the learner's
// cookie): what the lab panel's buttons do, for browser tests that need a session's state without
// typing every command.
import type { Page } from 'playwright-core';

/** The learner's session of a lab (the one Start lab opened, or a new one). */
export function labSessionId(page: Page, labId: string): Promise<string> {
  return page.evaluate(async (lab) => {
    const response = await fetch(`/api/labs/${lab}/sessions`, { method: 'POST' });
    return ((await response.json()) as { id: string }).id;
  }, labId);
}

/** Applies a step's reference solution, as the lab's "skip" does; the answer's HTTP status. */
export function solveStep(page: Page, sessionId: string, stepId: string): Promise<number> {
  return page.evaluate(
    async ([id, step]) => (await fetch(`/api/sessions/${id}/steps/${step}/solve`, { method: 'POST' })).status,
    [sessionId, stepId] as const,
  );
}

/** A file of the sandbox as the editor reads it. */
export function sandboxFileText(page: Page, sessionId: string, filePath: string): Promise<string> {
  return page.evaluate(
    async ([id, file]) => (await fetch(`/api/sessions/${id}/files?path=${encodeURIComponent(file)}`)).text(),
    [sessionId, filePath] as const,
  );
}

/** Ends the session; the answer's HTTP status (204 when it was live). */
export function stopSession(page: Page, sessionId: string): Promise<number> {
  return page.evaluate(
    async (id) => (await fetch(`/api/sessions/${id}`, { method: 'DELETE' })).status,
    sessionId,
  );
}
