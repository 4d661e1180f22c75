/**
 * The grader itself could not run (its agent was killed, hung, or its container is gone). It is
 * never a verdict about the learner's work: grading throws it instead of failing the step, and the
 * API answers 503 so the page says "try again", not "not yet".
 */
export class GraderUnavailableError extends Error {
  override name = 'GraderUnavailableError';
}
