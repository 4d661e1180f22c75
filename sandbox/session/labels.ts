/** Labels on every container and volume Keiko creates; the reaper finds leftovers by them. */
export const LABELS = {
  session: 'keiko.session',
  lab: 'keiko.lab',
  expiresAt: 'keiko.expires-at',
  role: 'keiko.role',
} as const;

/** An image's label listing the folders a lab may write (space-separated absolute paths). */
export const WRITABLE_PATHS_LABEL = 'keiko.writable';
export const DEFAULT_WRITABLE_PATHS = ['/home/learner', '/tmp'];

export function sessionLabels(
  sessionId: string,
  labId: string,
  expiresAt: Date,
  role: string,
): Record<string, string> {
  return {
    [LABELS.session]: sessionId,
    [LABELS.lab]: labId,
    [LABELS.expiresAt]: expiresAt.toISOString(),
    [LABELS.role]: role,
  };
}
