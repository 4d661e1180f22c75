import { describeError } from '../errors';
import type { SandboxLimits } from '../limits';
import type { SessionRecord } from './registry';
import type { PooledSandbox, SandboxSource, SessionManager } from './session-manager';

export const POOL_LAB_ID = 'pool';

/**
 * Spare sandboxes per lab image, created and started ahead of time with the platform's default
 * limits, so a learner's start skips container creation. A spare is handed out once and never
 * comes back: a sandbox a learner touched is removed, not recycled.
 */
export class WarmPool implements SandboxSource {
  private readonly spares = new Map<string, SessionRecord[]>();
  private readonly filling = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly manager: SessionManager,
    private readonly sizes: Record<string, number>,
  ) {
    manager.usePool(this);
  }

  /** A ready spare for the image, when one exists and fits the limits; a refill starts behind it. */
  take(image: string, limits: SandboxLimits): PooledSandbox | undefined {
    const defaults = this.manager.resolveLimits();
    if (limits.scratchMiB !== defaults.scratchMiB) return undefined; // volume sizes are fixed at creation
    const record = this.spares.get(image)?.shift();
    void this.fill(image);
    return record ? { record } : undefined;
  }

  owns(sessionId: string): boolean {
    return [...this.spares.values()].some((records) => records.some((record) => record.id === sessionId));
  }

  available(image: string): number {
    return this.spares.get(image)?.length ?? 0;
  }

  /** Tops every image up to its size; resolves when all are full. */
  async fillAll(): Promise<void> {
    await Promise.all(Object.keys(this.sizes).map((image) => this.fill(image)));
  }

  /** Removes every spare and stops refilling. */
  async drain(): Promise<void> {
    this.closed = true;
    await Promise.all(this.filling.values());
    for (const records of this.spares.values()) {
      for (const record of records.splice(0))
        await this.manager.end(record.id, 'stopped', 'warm pool drained');
    }
  }

  private fill(image: string): Promise<void> {
    const running = this.filling.get(image);
    if (running) return running;
    const work = (async () => {
      const target = this.sizes[image] ?? 0;
      const spares = this.spares.get(image) ?? [];
      this.spares.set(image, spares);
      // One at a time: a refill must not compete with learners' own starts for the engine.
      while (!this.closed && spares.length < target) {
        try {
          spares.push(
            await this.manager.create(
              { labId: POOL_LAB_ID, image, ownerId: POOL_LAB_ID },
              this.manager.resolveLimits(),
              'pooled',
            ),
          );
        } catch (error) {
          console.error(`keiko: warm pool for ${image} could not make a spare: ${describeError(error)}`);
          return;
        }
      }
    })().finally(() => this.filling.delete(image));
    this.filling.set(image, work);
    return work;
  }
}
