/**
 * Waits for every promise, then throws the first rejection: steps run side by side must all have
 * ended (and recorded what they made) before a failure's clean-up looks at what exists.
 */
export async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  const outcomes = await Promise.allSettled(promises);
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}
