import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ByteBudget } from './byte-budget';
import { RelayStream } from './relay-stream';

describe('RelayStream', () => {
  it('holds no more than its high-water marks when the browser does not read: the sandbox side pauses', async () => {
    const sandbox = new PassThrough();
    const relay = new RelayStream(sandbox, { budget: new ByteBudget(1024 ** 3), idleMs: 60_000 });
    // The sandbox's server keeps sending; nobody reads the relay.
    let accepted = 0;
    for (let i = 0; i < 1000; i += 1) {
      if (!sandbox.write(Buffer.alloc(64 * 1024))) break;
      accepted += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sandbox.isPaused()).toBe(true);
    expect(relay.readableLength).toBeLessThanOrEqual(relay.readableHighWaterMark + 64 * 1024);
    expect(accepted).toBeLessThan(10); // back-pressure reached the writer, not 64 MiB in memory
    relay.destroy();
  });

  it('closes after the idle limit with no byte either way', async () => {
    const relay = new RelayStream(new PassThrough(), { budget: new ByteBudget(1024), idleMs: 50 });
    await new Promise((resolve) => relay.once('close', resolve));
    expect(relay.destroyed).toBe(true);
  });

  it('emits timeout for Node’s HTTP agent, which closes kept-alive connections with it', async () => {
    const relay = new RelayStream(new PassThrough(), { budget: new ByteBudget(1024), idleMs: 60_000 });
    await new Promise<void>((resolve) => relay.setTimeout(30, () => resolve()));
    relay.destroy();
  });
});
