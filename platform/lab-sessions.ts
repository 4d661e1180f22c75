import fs from 'node:fs';
import path from 'node:path';
import { loadLabs, type LabDefinition } from '@/course';
import { labImageTag, LimitOverridesSchema, type LabSession, type SessionManager } from '@/sandbox';
import type { Env } from './env';
import { sessionToken, verifySessionToken } from './identity';

/** The session object of API.md. */
export interface SessionObject {
  id: string;
  labId: string;
  status: string;
  token: string;
  terminalUrl: string;
  steps: { id: string; title: string; passed: boolean; attempts: number }[];
  createdAt: string;
  expiresAt: string;
  idleExpiresAt: string;
}

/** Thrown when a lab id names no lab. */
export class LabNotFoundError extends Error {
  override name = 'LabNotFoundError';
}

/** Who is asking: a learner by their cookie, or anyone holding the session's token. */
export interface Caller {
  learnerId?: string;
  token?: string;
}

/**
 * Learners' lab sessions as the HTTP API and the terminal see them: one live session per learner and
 * lab, reachable only by its owner or its token. Everything else answers "not found".
 */
export class LabSessions {
  constructor(
    private readonly manager: SessionManager,
    private readonly env: Env,
    private readonly labsDir: string,
    private readonly secret: Buffer,
  ) {}

  labs(): LabDefinition[] {
    return loadLabs(this.labsDir);
  }

  lab(labId: string): LabDefinition | undefined {
    return this.labs().find((lab) => lab.id === labId);
  }

  /** The learner's live session for the lab, or a new one. */
  async startOrResume(
    labId: string,
    learnerId: string,
  ): Promise<{ session: SessionObject; created: boolean }> {
    const lab = this.lab(labId);
    if (!lab) throw new LabNotFoundError(`no lab "${labId}"`);
    const existing = this.manager
      .list()
      .find((session) => session.labId === labId && session.ownerId === learnerId);
    if (existing) return { session: this.toObject(existing, lab), created: false };
    const session = await this.manager.start({
      labId,
      image: labImageTag(lab.image),
      ownerId: learnerId,
      workdir: lab.workdir,
      limits: LimitOverridesSchema.parse(lab.limits ?? {}),
      files: starterFiles(lab),
    });
    return { session: this.toObject(session, lab), created: true };
  }

  /** The session, when the caller owns it or holds its token; undefined otherwise (answer 404). */
  authorize(sessionId: string, caller: Caller): LabSession | undefined {
    const session = this.manager.get(sessionId);
    if (!session) return undefined;
    if (caller.learnerId && caller.learnerId === session.ownerId) return session;
    if (verifySessionToken(this.secret, sessionId, caller.token)) return session;
    return undefined;
  }

  view(session: LabSession): SessionObject {
    return this.toObject(session, this.lab(session.labId));
  }

  private toObject(session: LabSession, lab: LabDefinition | undefined): SessionObject {
    const token = sessionToken(this.secret, session.id);
    const wsBase = this.env.publicUrl.replace(/^http/, 'ws');
    return {
      id: session.id,
      labId: session.labId,
      status: session.status,
      token,
      terminalUrl: `${wsBase}/api/sessions/${session.id}/terminal?token=${token}`,
      steps: (lab?.steps ?? []).map((step) => ({
        id: step.id,
        title: step.title,
        passed: false,
        attempts: 0,
      })),
      createdAt: session.createdAt.toISOString(),
      expiresAt: session.expiresAt.toISOString(),
      idleExpiresAt: session.idleExpiresAt.toISOString(),
    };
  }
}

/** The files under a lab's `starter/` folder, to be copied into its workdir. */
function starterFiles(lab: LabDefinition): { path: string; content: Buffer; mode: number }[] {
  const root = path.join(lab.dir, 'starter');
  if (!fs.existsSync(root) || !lab.workdir) return [];
  const files: { path: string; content: Buffer; mode: number }[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const mode = fs.statSync(full).mode & 0o111 ? 0o755 : 0o644;
    files.push({
      path: path.posix.join(lab.workdir, path.relative(root, full).split(path.sep).join('/')),
      content: fs.readFileSync(full),
      mode,
    });
  }
  return files;
}
