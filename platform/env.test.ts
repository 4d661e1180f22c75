import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

describe('parseEnv', () => {
  it('fills in defaults: data in ./data, port 3000, bound to loopback', () => {
    const env = parseEnv({}, '/srv/keiko');
    expect(env.dataDir).toBe(path.resolve('/srv/keiko/data'));
    expect(env.KEIKO_PORT).toBe(3000);
    expect(env.KEIKO_HOST).toBe('127.0.0.1');
    expect(env.publicUrl).toBe('http://localhost:3000');
  });

  it('names the variable and the bad value when a port is not a number', () => {
    expect(() => parseEnv({ KEIKO_PORT: 'eighty' })).toThrow(EnvError);
    expect(() => parseEnv({ KEIKO_PORT: 'eighty' })).toThrow(
      /KEIKO_PORT="eighty": expected a port from 1 to 65535/,
    );
  });

  it('rejects a port outside 1..65535', () => {
    expect(() => parseEnv({ KEIKO_PORT: '70000' })).toThrow(
      /KEIKO_PORT="70000": expected a port from 1 to 65535/,
    );
  });

  it('rejects a DOCKER_HOST without a scheme', () => {
    expect(() => parseEnv({ DOCKER_HOST: '/var/run/docker.sock' })).toThrow(/DOCKER_HOST=.*unix:\/\/\/path/);
  });

  it('names the variable for a bad session limit or grace period, and leaves the instance to the store', () => {
    expect(() => parseEnv({ KEIKO_MAX_SESSIONS: '0' })).toThrow(/KEIKO_MAX_SESSIONS="0": at least 1 session/);
    expect(() => parseEnv({ KEIKO_MAX_SESSIONS: 'many' })).toThrow(/KEIKO_MAX_SESSIONS="many"/);
    expect(() => parseEnv({ KEIKO_ORPHAN_GRACE_MS: '10' })).toThrow(
      /KEIKO_ORPHAN_GRACE_MS="10": at least 1000 ms/,
    );
    expect(() => parseEnv({ KEIKO_INSTANCE: 'Not Valid' })).toThrow(/KEIKO_INSTANCE="Not Valid"/);
    const env = parseEnv({});
    expect(env.KEIKO_INSTANCE).toBeUndefined();
    expect(env.KEIKO_MAX_SESSIONS).toBeUndefined();
    expect(env.KEIKO_ORPHAN_GRACE_MS).toBe(120_000);
  });

  it('treats an empty variable as unset', () => {
    expect(parseEnv({ KEIKO_PORT: '' }).KEIKO_PORT).toBe(3000);
  });

  it('takes the public URL without a trailing slash', () => {
    expect(parseEnv({ KEIKO_PUBLIC_URL: 'https://keiko.example/' }).publicUrl).toBe('https://keiko.example');
  });

  it('puts previews under *.localhost on the server port, or under a configured wildcard', () => {
    expect(parseEnv({ KEIKO_PORT: '3500' }).previewUrl).toBe('http://*.localhost:3500');
    expect(parseEnv({ KEIKO_PREVIEW_URL: 'https://*.preview.keiko.example/' }).previewUrl).toBe(
      'https://*.preview.keiko.example',
    );
    expect(() => parseEnv({ KEIKO_PREVIEW_URL: 'https://preview.keiko.example' })).toThrow(
      /KEIKO_PREVIEW_URL=.*wildcard host/,
    );
  });
});
