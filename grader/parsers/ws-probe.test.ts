import { describe, expect, it } from 'vitest';
import { fixtureFile } from './fixture-files';
import { NotWsProbeJsonError, parseWsProbe } from './ws-probe';

const ws = (name: string) => parseWsProbe(fixtureFile('ws', `${name}.json`));

describe('parseWsProbe on the WebSocket probe run against real servers', () => {
  it('reads an echo: a valid handshake and the same message back', () => {
    expect(ws('echo')).toMatchObject({
      ok: true,
      stage: 'done',
      status: 101,
      acceptValid: true,
      received: 'keiko says hello',
      offered: { message: 'keiko says hello' },
    });
  });

  it('reads a refused upgrade as the status the server gave', () => {
    expect(ws('upgrade-refused')).toMatchObject({
      ok: false,
      stage: 'handshake',
      status: 403,
      received: null,
    });
  });

  it('reads an HTTP route that is not a WebSocket as a plain 200 answer', () => {
    expect(ws('plain-http-bottle')).toMatchObject({ ok: false, stage: 'handshake', status: 200 });
  });

  it('reads a refused connection as the connect stage', () => {
    expect(ws('connection-refused')).toMatchObject({ ok: false, stage: 'connect', status: null });
    expect(ws('connection-refused').error).toMatch(/ECONNREFUSED/);
  });

  it('refuses output that is not the probe JSON', () => {
    expect(() => parseWsProbe('ws-probe: --url is required\n')).toThrow(NotWsProbeJsonError);
    expect(() => parseWsProbe('{"ok": true}')).toThrow(/not its JSON/);
  });
});
