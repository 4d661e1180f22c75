'use client';

/**
 * A polite live region: each new message is a new node, so a screen reader announces it even when
 * it repeats the last one word for word ("Step 1: …" after a second failed Check). Visually
 * hidden; sighted learners see the same news in the step marks.
 */
export function Announcer({
  message,
  testId,
}: {
  message: { id: number; text: string } | null;
  testId?: string;
}) {
  return (
    <div className="visually-hidden" role="status" aria-live="polite" data-testid={testId}>
      {message && <p key={message.id}>{message.text}</p>}
    </div>
  );
}
