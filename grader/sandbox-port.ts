import type { ExecInSessionOptions, ExecResult, ProcessInfo } from '@/sandbox';

/** A command a check runs, in the lab or in the probe beside it. */
export type ExecInGrader = ExecInSessionOptions;

/** What a check needs from a sandbox session: the session manager provides it. */
export interface GraderSandbox {
  exec(sessionId: string, options: ExecInGrader): Promise<ExecResult>;
  readFile(sessionId: string, path: string): Promise<Buffer>;
  processes(sessionId: string): Promise<ProcessInfo[]>;
}

export interface CheckContext {
  sandbox: GraderSandbox;
  sessionId: string;
  /** The probe scripts' source by file name (grader/probes), read once by `readProbeScripts`. */
  probeScripts: ProbeScripts;
  timeoutMs: number;
}

/** The probe scripts' source by file name, sent on stdin to the probe's Node. */
export type ProbeScripts = Readonly<Record<string, string>>;

/** A probe script a kind declared; missing means the platform read the scripts of other kinds only. */
export function probeScript(context: CheckContext, file: string): string {
  const source = context.probeScripts[file];
  if (source === undefined) throw new Error(`the probe script ${file} was not loaded`);
  return source;
}
