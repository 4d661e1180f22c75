import type { ExecInSessionOptions, ExecResult, ProcessInfo } from '@/sandbox';

/** What a check needs from a sandbox session: the session manager provides it. */
export interface GraderSandbox {
  exec(sessionId: string, options: ExecInSessionOptions): Promise<ExecResult>;
  readFile(sessionId: string, path: string): Promise<Buffer>;
  processes(sessionId: string): Promise<ProcessInfo[]>;
}

export interface CheckContext {
  sandbox: GraderSandbox;
  sessionId: string;
  /** Folder of the probe scripts (grader/probes), read by the platform at start. */
  probeScripts: ProbeScripts;
  timeoutMs: number;
}

/** The probe scripts' source, sent on stdin to the probe's Node. */
export interface ProbeScripts {
  tls: string;
  ws: string;
}
