/** Labels on every container and volume Keiko creates; the reaper finds leftovers by them. */
export const LABELS = {
  session: 'keiko.session',
  lab: 'keiko.lab',
  expiresAt: 'keiko.expires-at',
  role: 'keiko.role',
  /** Which Keiko installation made it: a server reaps only its own instance's leftovers. */
  instance: 'keiko.instance',
} as const;

/** The instance of objects made before instances were labelled. */
export const DEFAULT_INSTANCE = 'default';

export function instanceOf(labels: Record<string, string>): string {
  return labels[LABELS.instance] ?? DEFAULT_INSTANCE;
}

/** An image's label listing the folders a lab may write (space-separated absolute paths). */
export const WRITABLE_PATHS_LABEL = 'keiko.writable';
export const DEFAULT_WRITABLE_PATHS = ['/home/learner', '/tmp'];

export function sessionLabels(
  sessionId: string,
  labId: string,
  expiresAt: Date,
  role: string,
  instance: string,
): Record<string, string> {
  return {
    [LABELS.instance]: instance,
    [LABELS.session]: sessionId,
    [LABELS.lab]: labId,
    [LABELS.expiresAt]: expiresAt.toISOString(),
    [LABELS.role]: role,
  };
}
