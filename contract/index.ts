/**
 * What the server and the browser say to each other, once, in zod: the server builds its answers
 * from these schemas and the browser validates what it receives with the same ones. Only zod here,
 * so client components can import it. docs/api.md carries the schemas, generated from this module.
 */
export { ErrorBodySchema, type ErrorBody } from './errors';
export {
  LabListSchema,
  LabRecordSchema,
  LearnerProgressSchema,
  SessionObjectSchema,
  StepViewSchema,
  type LabList,
  type LabRecord,
  type LearnerProgress,
  type SessionObject,
  type StepView,
} from './sessions';
export {
  CheckResultSchema,
  FAILURE_CODES,
  FailureSchema,
  StepResultSchema,
  type CheckResult,
  type Failure,
  type StepResult,
} from './results';
export { GradingTriggerSchema, StepEventSchema, type GradingTrigger, type StepEvent } from './step-events';
export { TlsGradeReportSchema, type TlsGradeReport } from './tls-grade-report';
export {
  MAX_TERMINAL_INPUT_CHARS,
  TERMINAL_CLOSE,
  TerminalClientMessageSchema,
  TerminalEventSchema,
  type TerminalClientMessage,
  type TerminalEvent,
} from './terminal';
export {
  ApacheConfigProblemSchema,
  ConfigTestAnswerSchema,
  type ApacheConfigProblem,
  type ConfigTestAnswer,
} from './config-test';
export { OpenedPortSchema, PortListSchema, PortViewSchema, type OpenedPort, type PortView } from './ports';
