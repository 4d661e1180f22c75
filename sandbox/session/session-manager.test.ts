import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SessionNotFoundError, SessionStartError } from '../errors';
import { DEFAULT_LIMITS } from '../limits';
import { MemoryRuntime } from '../runtime/memory/memory-runtime';
import { MemoryRegistry } from './registry';
import { SessionManager } from './session-manager';
import { WarmPool } from './warm-pool';

const LAB = 'keiko/bottle:latest';
const PROBE = 'keiko/probe:latest';

const GRACE_MS = 60_000;

function setup() {
  let nowMs = Date.parse('2026-01-01T00:00:00Z');
  const now = () => new Date(nowMs);
  const runtime = new MemoryRuntime(now);
  runtime.registry.add(LAB).add(PROBE);
  void runtime.pullImage(LAB);
  void runtime.pullImage(PROBE);
  const registry = new MemoryRegistry();
  const manager = new SessionManager({ runtime, registry, probeImage: PROBE, now, orphanGraceMs: GRACE_MS });
  /** Another process on the same data directory and engine. */
  const another = (holder: 'server' | 'test-labs' | 'grade' = 'server') =>
    new SessionManager({ runtime, registry, probeImage: PROBE, now, orphanGraceMs: GRACE_MS, holder });
  return { runtime, registry, manager, another, now, advance: (ms: number) => (nowMs += ms) };
}

/** A pid no process has: that of a child that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

/** Makes the registry say the manager's process died without closing (kill -9). */
function killWithoutClosing(registry: MemoryRegistry, manager: SessionManager): void {
  registry.holders.get(manager.holder.id)!.pid = deadPid();
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

  it('reaps labelled objects no record knows once they are older than the grace period, and not before', async () => {
    const { manager, runtime, advance } = setup();
    const keep = await start(manager);
    const orphan = await runtime.createContainer({
      ...[...runtime.containers.values()][0]!.spec,
      labels: { 'keiko.session': 's_orphan' },
    });
    expect(await manager.reap()).toBe(0);
    advance(GRACE_MS);
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

describe('processes sharing one data directory', () => {
  it('never ends or reaps a session another live process holds, however old it is', async () => {
    const { manager, another, runtime, advance } = setup();
    const cli = another('test-labs');
    const session = await cli.start({ labId: 'lab-1', image: LAB, ownerId: 'keiko-cli' });
    advance(10 * GRACE_MS);
    const server = manager;
    expect(await server.recover()).toEqual({ adopted: [], ended: [], reaped: 0 });
    await server.sweep();
    expect(runtime.containers.size).toBe(2);
    expect(cli.get(session.id)).toBeDefined();
  });

  it("ends a dead CLI run's sessions only once its holder has been gone for the grace period", async () => {
    const { another, registry, runtime, advance } = setup();
    const cli = another('test-labs');
    const session = await cli.start({ labId: 'lab-1', image: LAB, ownerId: 'keiko-cli' });
    killWithoutClosing(registry, cli);
    const server = another('server');
    advance(GRACE_MS - 1000);
    expect((await server.recover()).ended).toEqual([]);
    expect(runtime.containers.size).toBe(2);
    advance(1000);
    expect((await server.recover()).ended).toEqual([session.id]);
    expect(runtime.containers.size).toBe(0);
    expect(runtime.volumes.size).toBe(0);
    expect(registry.get(session.id)).toMatchObject({ status: 'failed' });
  });

  it('a server adopts at once the ready sessions of a server that died or closed', async () => {
    const { another, registry } = setup();
    const killed = another('server');
    const closed = another('server');
    const a = await killed.start({ labId: 'lab-1', image: LAB, ownerId: 'learner-1' });
    const b = await closed.start({ labId: 'lab-1', image: LAB, ownerId: 'learner-2' });
    killWithoutClosing(registry, killed);
    closed.close();
    const next = another('server');
    expect((await next.recover()).adopted.sort()).toEqual([a.id, b.id].sort());
    expect(registry.get(a.id)?.holderId).toBe(next.holder.id);
    expect(next.get(a.id)).toBeDefined();
  });

  it('a CLI never adopts a server session, and stop --all ends every session whoever holds it', async () => {
    const { another, registry, runtime } = setup();
    const server = another('server');
    const session = await server.start({ labId: 'lab-1', image: LAB, ownerId: 'learner-1' });
    server.close();
    const cli = another('grade');
    expect(await cli.recover()).toEqual({ adopted: [], ended: [], reaped: 0 });
    expect(await cli.stopAll('stopped by keiko sessions stop --all')).toEqual({ stopped: 1, reaped: 0 });
    expect(registry.get(session.id)).toMatchObject({ status: 'stopped' });
    expect(runtime.containers.size).toBe(0);
  });

  it('adopts objects of older versions (labelled default) only when its own registry knows their session', async () => {
    const { runtime, registry, manager, now, advance } = setup();
    const spec = { ...(await start(manager), [...runtime.containers.values()][0]!.spec) };
    const known = await runtime.createContainer({ ...spec, labels: { 'keiko.session': 's_known' } });
    const unknown = await runtime.createContainer({ ...spec, labels: { 'keiko.session': 's_unknown' } });
    registry.save({
      id: 's_known',
      labId: 'lab-1',
      ownerId: 'learner-1',
      image: LAB,
      status: 'stopped',
      containers: { lab: known },
      volumes: [],
      limits: {},
      createdAt: now().toISOString(),
      expiresAt: now().toISOString(),
      lastActivityAt: now().toISOString(),
      endedAt: now().toISOString(),
    });
    const blue = new SessionManager({ runtime, registry, probeImage: PROBE, instance: 'blue', now });
    advance(10 * GRACE_MS);
    expect(await blue.reap()).toBe(1);
    expect(runtime.containers.has(known)).toBe(false);
    expect(runtime.containers.has(unknown)).toBe(true);
  });
});
