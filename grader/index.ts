/** The grader: check kinds that speak the protocol, run from the probe beside a lab. */
export { gradeStep, runCheck, checkName } from './grade-step';
export { CheckResultSchema, StepResultSchema, type CheckResult, type StepResult } from './result';
export type { GraderSandbox, ProbeScripts } from './sandbox-port';
export { shellQuote } from './shell-quote';
export {
  ApacheConfigProblemSchema,
  ApacheConfigTestSchema,
  parseApachectlTest,
  parseListeningSockets,
  type ApacheConfigProblem,
  type ApacheConfigTest,
} from './parsers';
export { LAB_CA_PROBE_DIR, LAB_CA_PROBE_FILE } from './lab-ca-file';
export { TlsGradeReportSchema, type TlsGradeReport } from './tls-grade';
