import type Database from 'better-sqlite3';

export interface StepProgress {
  stepId: string;
  passed: boolean;
  attempts: number;
  lastResult?: unknown;
}

/** Check attempts and what they add up to per learner, lab and step. A lab reset keeps them. */
export class ProgressRepository {
  constructor(private readonly db: Database.Database) {}

  recordAttempt(attempt: {
    learnerId: string;
    labId: string;
    stepId: string;
    sessionId: string;
    passed: boolean;
    result: unknown;
    at: string;
  }): void {
    this.db
      .prepare(
        'INSERT INTO attempts (learner_id, lab_id, step_id, session_id, passed, result_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        attempt.learnerId,
        attempt.labId,
        attempt.stepId,
        attempt.sessionId,
        attempt.passed ? 1 : 0,
        JSON.stringify(attempt.result),
        attempt.at,
      );
  }

  /** Per step: passed once means passed; attempts counts every check. */
  forLab(learnerId: string, labId: string): Map<string, StepProgress> {
    const rows = this.db
      .prepare(
        `SELECT step_id AS stepId, MAX(passed) AS passed, COUNT(*) AS attempts,
                (SELECT result_json FROM attempts b WHERE b.learner_id = a.learner_id AND b.lab_id = a.lab_id AND b.step_id = a.step_id ORDER BY b.id DESC LIMIT 1) AS last
         FROM attempts a WHERE learner_id = ? AND lab_id = ? GROUP BY step_id`,
      )
      .all(learnerId, labId) as { stepId: string; passed: number; attempts: number; last: string }[];
    return new Map(
      rows.map((row) => [
        row.stepId,
        {
          stepId: row.stepId,
          passed: row.passed === 1,
          attempts: row.attempts,
          lastResult: JSON.parse(row.last) as unknown,
        },
      ]),
    );
  }
}
