import { describe, expect, it } from 'vitest';
import { SessionNotFoundError, SessionStartError } from '../errors';
import { DEFAULT_LIMITS } from '../limits';
import { MemoryRuntime } from '../runtime/memory/memory-runtime';
import { MemoryRegistry } from './registry';
import { SessionManager } from './session-manager';
import { WarmPool } from './warm-pool';

const LAB = 'keiko/bottle:latest';
const PROBE = 'keiko/probe:latest';

function setup() {
  const runtime = new MemoryRuntime();
  runtime.registry.add(LAB).add(PROBE);
  void runtime.pullImage(LAB);
  void runtime.pullImage(PROBE);
  const registry = new MemoryRegistry();
  let nowMs = Date.parse('2026-01-01T00:00:00Z');
  const manager = new SessionManager({ runtime, registry, probeImage: PROBE, now: () => new Date(nowMs) });
  return { runtime, registry, manager, advance: (ms: number) => (nowMs += ms) };
}

const start = (manager: SessionManager, limits = {}) =>
  manager.start({ labId: 'lab-1', image: LAB, ownerId: 'learner-1', limits });

describe('SessionManager', () => {
  it('creates a lab and a probe container, one volume per writable place, and records the session as ready', async () => {
    const { runtime, registry, manager } = setup();
    const session = await start(manager);
    expect(session.status).toBe('ready');
    expect(runtime.containers.size).toBe(2);
    expect([...runtime.volumes.keys()]).toEqual([`${session.id}-home-learner`, `${session.id}-tmp`]);
    expect(registry.get(session.id)).toMatchObject({ status: 'ready', labId: 'lab-1', ownerId: 'learner-1' });
  });

  it('ends a session idle for its idle timeout, and one past its lifetime even when busy', async () => {
    const { manager, registry, advance, runtime } = setup();
    const idle = await start(manager, { idleTimeoutMs: 60_000 });
    const busy = await start(manager, { idleTimeoutMs: 60_000, maxLifetimeMs: 150_000 });
    advance(50_000);
    manager.touch(busy.id);
    expect(await manager.sweep()).toEqual([]);
    advance(20_000); // idle: 70 s without activity; busy: touched 20 s ago
    expect(await manager.sweep()).toEqual([idle.id]);
    expect(registry.get(idle.id)).toMatchObject({ status: 'expired', endReason: 'idle for 1 min' });
    for (let i = 0; i < 4; i += 1) {
      advance(25_000);
      manager.touch(busy.id);
    }
    expect(await manager.sweep()).toEqual([busy.id]);
    expect(registry.get(busy.id)).toMatchObject({
      status: 'expired',
      endReason: 'reached its maximum lifetime',
    });
    expect(runtime.containers.size).toBe(0);
    expect(runtime.volumes.size).toBe(0);
  });

  it('shows the learner when the session will end if idle: the earlier of idle and lifetime', async () => {
    const { manager } = setup();
    const session = await start(manager, { idleTimeoutMs: 600_000, maxLifetimeMs: 300_000 });
    expect(session.idleExpiresAt).toEqual(session.expiresAt);
  });

  it('checks its default limits against the caps when it is created', () => {
    const runtime = new MemoryRuntime();
    expect(
      () =>
        new SessionManager({
          runtime,
          registry: new MemoryRegistry(),
          probeImage: PROBE,
          defaults: { ...DEFAULT_LIMITS, pids: 5000 },
        }),
    ).toThrow(/pids 5000 is above the platform's cap of 1024/);
  });

  it('refuses limits above the platform caps, naming them', async () => {
    const { manager } = setup();
    await expect(start(manager, { memoryMiB: 1_000_000 })).rejects.toThrow(
      /memoryMiB 1000000 is above the platform's cap of 2048/,
    );
  });

  it('says which image to build when the lab image is missing, and leaves nothing behind', async () => {
    const { manager, runtime } = setup();
    await expect(manager.start({ labId: 'x', image: 'keiko/none:latest', ownerId: 'o' })).rejects.toThrow(
      SessionStartError,
    );
    await expect(manager.start({ labId: 'x', image: 'keiko/none:latest', ownerId: 'o' })).rejects.toThrow(
      /keiko images build/,
    );
    expect(runtime.containers.size).toBe(0);
  });

  it('removes everything when the sandbox fails to become ready', async () => {
    const { manager, runtime, registry } = setup();
    runtime.execHandler = () => ({ exitCode: 126, stderr: 'exec failed' });
    await expect(start(manager)).rejects.toThrow(/does not run commands/);
    expect(runtime.containers.size).toBe(0);
    expect(runtime.volumes.size).toBe(0);
    expect(registry.live()).toEqual([]);
  });

  it('answers an unknown session id with SessionNotFoundError', async () => {
    const { manager } = setup();
    await expect(manager.exec('s_nope', { argv: ['true'] })).rejects.toBeInstanceOf(SessionNotFoundError);
  });

  it('reaps labelled objects that belong to no live session', async () => {
    const { manager, runtime } = setup();
    const keep = await start(manager);
    const orphan = await runtime.createContainer({
      ...[...runtime.containers.values()][0]!.spec,
      labels: { 'keiko.session': 's_orphan' },
    });
    expect(await manager.reap()).toBe(1);
    expect(runtime.containers.has(orphan)).toBe(false);
    expect(manager.get(keep.id)).toBeDefined();
  });

  it('hands out warm spares once, applies the lab limits, and refills behind them', async () => {
    const { manager, runtime } = setup();
    const pool = new WarmPool(manager, { [LAB]: 1 });
    await pool.fillAll();
    expect(pool.available(LAB)).toBe(1);
    runtime.calls.length = 0;
    const session = await start(manager, { memoryMiB: 256 });
    expect(runtime.calls.filter((call) => call.startsWith('create container')).length).toBeLessThanOrEqual(2); // only the refill
    const lab = [...runtime.containers.values()].find(
      (c) => c.spec.labels['keiko.session'] === session.id && c.spec.labels['keiko.role'] === 'lab',
    );
    expect(lab?.spec.memoryBytes).toBe(256 * 1024 * 1024);
    await pool.fillAll();
    expect(pool.available(LAB)).toBe(1);
    expect(pool.owns(session.id)).toBe(false);
    await pool.drain();
    expect(pool.available(LAB)).toBe(0);
  });

  it('skips the pool when a lab asks for a different scratch size', async () => {
    const { manager } = setup();
    const pool = new WarmPool(manager, { [LAB]: 1 });
    await pool.fillAll();
    await start(manager, { scratchMiB: DEFAULT_LIMITS.scratchMiB * 2 });
    expect(pool.available(LAB)).toBe(1);
  });
});

describe('instances', () => {
  it('labels what it makes with its instance and reaps only its own instance', async () => {
    const { runtime, registry } = setup();
    const mine = new SessionManager({ runtime, registry, probeImage: PROBE, instance: 'blue' });
    const theirs = new SessionManager({
      runtime,
      registry: new MemoryRegistry(),
      probeImage: PROBE,
      instance: 'green',
    });
    const session = await theirs.start({ labId: 'lab-1', image: LAB, ownerId: 'someone' });
    expect([...runtime.containers.values()].every((c) => c.spec.labels['keiko.instance'] === 'green')).toBe(
      true,
    );
    expect(await mine.reap()).toBe(0);
    expect(theirs.get(session.id)).toBeDefined();
    expect(runtime.containers.size).toBe(2);
  });
});
