import type { ExecResult, ExecStream } from '@/sandbox';
import { GraderUnavailableError } from '../errors';
import { AgentReplySchema, type AgentReply, type AgentRequest } from './agent-protocol';

/**
 * How long past a request's own timeout the agent may take to answer before it counts as hung. The
 * agent kills a program at its timeout itself, so a reply later than this means the agent is stuck.
 */
export const AGENT_GRACE_MS = 3_000;
/** How long a fresh agent may take to answer its first ping (a Node start on a busy machine). */
export const AGENT_START_MS = 15_000;

/**
 * One running probe agent, seen from the grader: requests out as JSON lines, replies matched by id.
 * When it exits, hangs or sends garbage, every open request fails with GraderUnavailableError and the
 * agent is dead for good (the pool starts another).
 */
export class ProbeAgent {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (reply: AgentReply) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }
  >();
  private buffered = '';
  private stderrTail = '';
  private deadReason: string | undefined;
  private readonly deathListeners: ((reason: string) => void)[] = [];
  /** The agent's process id in the probe container, known after `start`. */
  pid = 0;

  private constructor(private readonly stream: ExecStream) {
    stream.io.on('data', (chunk: Buffer) => this.read(chunk));
    stream.onStderr((chunk) => {
      this.stderrTail = `${this.stderrTail}${chunk.toString('utf8')}`.slice(-500);
    });
    // Its output ending is the agent gone: exited, killed, or its container removed.
    const exited = () => {
      const detail = this.stderrTail.trim() ? `: ${this.stderrTail.trim()}` : '';
      this.die(`the grader's probe agent exited${detail}`);
    };
    stream.io.on('end', exited);
    stream.io.on('close', exited);
    stream.io.on('error', exited);
  }

  /** Starts talking to an agent on the stream and waits for its first answer. */
  static async start(stream: ExecStream): Promise<ProbeAgent> {
    const agent = new ProbeAgent(stream);
    const reply = await agent.request({ op: 'ping' }, AGENT_START_MS);
    if (!('pid' in reply)) throw new GraderUnavailableError(`the grader's probe agent did not start`);
    agent.pid = reply.pid;
    return agent;
  }

  /** Called once when the agent is dead for good: exited, hung, closed or talking nonsense. */
  onDeath(listener: (reason: string) => void): void {
    if (this.deadReason !== undefined) listener(this.deadReason);
    else this.deathListeners.push(listener);
  }

  get alive(): boolean {
    return this.deadReason === undefined;
  }

  /** Runs a program in the probe, as `docker exec` would, with the agent's own timeout. */
  async exec(request: Extract<AgentRequest, { op: 'exec' | 'module' }>): Promise<ExecResult> {
    const reply = await this.request(request, request.timeoutMs + AGENT_GRACE_MS);
    if ('error' in reply) throw new GraderUnavailableError(`the grader's probe agent failed: ${reply.error}`);
    if (!('exitCode' in reply))
      throw new GraderUnavailableError(`the grader's probe agent answered out of turn`);
    return {
      exitCode: reply.exitCode,
      stdout: reply.stdout,
      stderr: reply.stderr,
      timedOut: reply.timedOut,
      truncated: reply.truncated,
      durationMs: reply.durationMs,
    };
  }

  close(): void {
    this.die('the grader closed its probe agent');
    this.stream.io.destroy();
  }

  private request(request: AgentRequest, answerWithinMs: number): Promise<AgentReply> {
    if (this.deadReason !== undefined) return Promise.reject(new GraderUnavailableError(this.deadReason));
    const id = this.nextId++;
    return new Promise<AgentReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.die(`the grader's probe agent did not answer within ${Math.round(answerWithinMs / 1000)} s`);
        this.stream.io.destroy();
      }, answerWithinMs);
      this.pending.set(id, { resolve, reject, timer });
      this.stream.io.write(`${JSON.stringify({ id, ...request })}\n`);
    });
  }

  private read(chunk: Buffer): void {
    this.buffered += chunk.toString('utf8');
    let newline = this.buffered.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      newline = this.buffered.indexOf('\n');
      if (line.trim()) this.answer(line);
    }
  }

  private answer(line: string): void {
    let reply: AgentReply;
    try {
      reply = AgentReplySchema.parse(JSON.parse(line));
    } catch {
      this.die(`the grader's probe agent sent a line that is not a reply: ${line.slice(0, 200)}`);
      this.stream.io.destroy();
      return;
    }
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    clearTimeout(waiting.timer);
    waiting.resolve(reply);
  }

  private die(reason: string): void {
    if (this.deadReason !== undefined) return;
    this.deadReason = reason;
    for (const waiting of this.pending.values()) {
      clearTimeout(waiting.timer);
      waiting.reject(new GraderUnavailableError(reason));
    }
    this.pending.clear();
    for (const listener of this.deathListeners) listener(reason);
  }
}
