import fs from 'node:fs';
import path from 'node:path';
import type { ExecResult, ExecStream } from '@/sandbox';
import { GraderUnavailableError } from '../errors';
import { LabExecBatch } from '../lab-exec-batch';
import type { ExecInGrader, GraderSandbox } from '../sandbox-port';
import { ProbeAgent } from './probe-agent';

/**
 * What the warm grader needs of the sessions: the plain grader port, a long-lived command, and a
 * file read through the grader's own exec (so it joins the other checks' batch).
 */
export interface AgentHost extends GraderSandbox {
  openExecStream(sessionId: string, options: { argv: string[]; in: 'probe' }): Promise<ExecStream>;
  readFile(sessionId: string, path: string, exec?: (options: ExecInGrader) => Promise<ExecResult>): Promise<Buffer>;
}

/** Marks the agent's command line, so `ps` in the probe says what it is. */
export const AGENT_TITLE = 'keiko-probe-agent';
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_OUTPUT_MAX_BYTES = 1024 * 1024;

/** The agent's source, from `<rootDir>/grader/probes/probe-agent.mjs`. */
export function readProbeAgentSource(rootDir: string): string {
  return fs.readFileSync(path.join(rootDir, 'grader', 'probes', 'probe-agent.mjs'), 'utf8');
}

/**
 * A probe script the kinds run as `node --input-type=module -` with its source on stdin: the agent
 * runs the same module in its own Node instead of starting another.
 */
function probeScriptCall(options: ExecInGrader): { source: string; args: string[] } | undefined {
  const [node, inputType, dash, ...args] = options.argv;
  if (node !== 'node' || inputType !== '--input-type=module' || dash !== '-') return undefined;
  if (typeof options.stdin !== 'string') return undefined;
  return { source: options.stdin, args };
}

/**
 * The grader's port with the probe kept warm: commands in the probe go to one long-lived agent per
 * session (started on the first check, or by `warm`, and again whenever it has died) instead of one
 * `docker exec` each; commands and file reads in the lab that checks ask for at once share one exec
 * (lab-exec-batch.ts). The agent's own failures are GraderUnavailableError, never a check's verdict.
 */
export class WarmGraderSandbox implements GraderSandbox {
  private readonly agents = new Map<string, Promise<ProbeAgent>>();
  private readonly lab: LabExecBatch;

  constructor(
    private readonly host: AgentHost,
    private readonly agentSource: string,
  ) {
    this.lab = new LabExecBatch((sessionId, options) => this.host.exec(sessionId, options));
  }

  async exec(sessionId: string, options: ExecInGrader): Promise<ExecResult> {
    if (options.in !== 'probe') return this.lab.run(sessionId, options);
    const agent = await this.agentFor(sessionId);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxBytes = options.outputMaxBytes ?? DEFAULT_OUTPUT_MAX_BYTES;
    const script = probeScriptCall(options);
    if (script) return agent.exec({ op: 'module', ...script, timeoutMs, maxBytes });
    const stdin = options.stdin === undefined ? undefined : options.stdin.toString();
    return agent.exec({ op: 'exec', argv: options.argv, stdin, timeoutMs, maxBytes });
  }

  readFile(sessionId: string, file: string): Promise<Buffer> {
    return this.host.readFile(sessionId, file, (options) => this.exec(sessionId, options));
  }

  processes(sessionId: string): ReturnType<GraderSandbox['processes']> {
    return this.host.processes(sessionId);
  }

  /** Starts the session's agent ahead of its first check (when the session starts). */
  async warm(sessionId: string): Promise<void> {
    await this.agentFor(sessionId);
  }

  /** The session's agent's process id in the probe, for tests and diagnostics. */
  async agentPid(sessionId: string): Promise<number> {
    return (await this.agentFor(sessionId)).pid;
  }

  /** Stops the session's agent (the session ended). */
  forget(sessionId: string): void {
    const agent = this.agents.get(sessionId);
    this.agents.delete(sessionId);
    void agent?.then((running) => running.close()).catch(() => {});
  }

  /** How many sessions have a live (or starting) agent now. */
  get size(): number {
    return this.agents.size;
  }

  private async agentFor(sessionId: string): Promise<ProbeAgent> {
    const known = this.agents.get(sessionId);
    if (known) {
      const agent = await known.catch(() => undefined);
      if (agent?.alive) return agent;
      if (this.agents.get(sessionId) === known) this.agents.delete(sessionId);
      else return this.agentFor(sessionId);
    }
    const starting = this.startAgent(sessionId);
    this.agents.set(sessionId, starting);
    void starting.then(
      (agent) =>
        agent.onDeath(() => {
          if (this.agents.get(sessionId) === starting) this.agents.delete(sessionId);
          this.putDown(sessionId, agent);
        }),
      () => undefined,
    );
    try {
      return await starting;
    } catch (error) {
      if (this.agents.get(sessionId) === starting) this.agents.delete(sessionId);
      throw error;
    }
  }

  /**
   * A hung agent (stopped, stuck in a loop) does not notice its stream closing: kill it, so a
   * session never has two. A killed or exited one is gone already and the kill changes nothing.
   */
  private putDown(sessionId: string, agent: ProbeAgent): void {
    if (agent.pid <= 0) return;
    void this.host
      .exec(sessionId, { argv: ['kill', '-KILL', String(agent.pid)], in: 'probe', timeoutMs: 5_000 })
      .catch(() => undefined);
  }

  private async startAgent(sessionId: string): Promise<ProbeAgent> {
    let stream: ExecStream;
    try {
      stream = await this.host.openExecStream(sessionId, {
        argv: ['node', '--input-type=module', '-e', this.agentSource, AGENT_TITLE],
        in: 'probe',
      });
    } catch (error) {
      // A probe container that could not start (it starts in the background once the lab is ready)
      // is the grader being unavailable; the session has been ended by its manager.
      if (error instanceof Error && error.name === 'ProbeUnavailableError')
        throw new GraderUnavailableError(error.message);
      // The session's own errors (gone, not found) say more than "the agent": pass them on as they are.
      if (error instanceof Error && error.name !== 'Error') throw error;
      throw new GraderUnavailableError(
        `the grader's probe agent could not start: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return ProbeAgent.start(stream);
  }
}
