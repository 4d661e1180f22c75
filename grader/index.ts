/** The grader: check kinds that speak the protocol, run from the probe beside a lab. */
export { gradeStep, runCheck, checkName, mayChangeLab, type GradableStep } from './grade-step';
export {
  CheckSchema,
  checkKinds,
  kindOf,
  readProbeScripts,
  registerCheckKind,
  type Check,
} from './check-registry';
export { defineCheckKind, CheckTimingFields, type CheckKind } from './kinds/kind';
export type { HttpCheck } from './kinds/http';
export { TLS_GRADES } from './tls-grade';
export {
  CheckResultSchema,
  StepResultSchema,
  clipCheckResult,
  clipStepResult,
  type CheckResult,
  type StepResult,
} from './result';
export { probeScript, type CheckContext, type GraderSandbox, type ProbeScripts } from './sandbox-port';
export { shellQuote } from './shell-quote';
export {
  ApacheConfigTestSchema,
  parseApachectlTest,
  parseListeningSockets,
  type ApacheConfigTest,
} from './parsers';
export { LAB_CA_PROBE_DIR, LAB_CA_PROBE_FILE } from './lab-ca-file';
export { GraderUnavailableError } from './errors';
export { justStarted, STARTING_WINDOW_MS } from './still-starting';
export { FAILURES, FailureSchema, HintsSchema, type Failure, type Hints } from './failure';
export type { GradeOptions, GradeProgress } from './grade-step';
export { WarmGraderSandbox, readProbeAgentSource, type AgentHost } from './probe-agent/warm-sandbox';
export { LabExecBatch, type LabExec } from './lab-exec-batch';
export { installLabCa, installLabCaOrEnd, LAB_CA_FILES, type LabCaSpec } from './lab-ca';
export { testApacheConfig, NoConfigTestError } from './config-test';
