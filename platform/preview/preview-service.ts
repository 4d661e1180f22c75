import type http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { LabPort } from '@/course';
import { parseListeningSockets } from '@/grader';
import {
  ByteBudget,
  pipeBoth,
  relayRequest,
  relayUpgrade,
  RelayStream,
  StreamAgent,
  type RelayTarget,
} from '@/proxy/preview';
import { isRelayablePort, type SandboxSession, type PlatformLimits, type SessionManager } from '@/sandbox';
import { sessionToken } from '../identity';
import {
  parsePreviewHost,
  previewDomain,
  previewOrigin,
  type PreviewAddress,
  type PreviewDomain,
} from './preview-names';
import { signGrant, verifyGrant } from './preview-token';
import type { PortView } from '@/contract';

/** The cookie that admits a browser to one preview origin; host-only, so no other origin gets it. */
export const PREVIEW_COOKIE = 'keiko_preview';
/** The path on a preview origin that spends a link and sets the cookie (never relayed). */
export const PREVIEW_OPEN_PATH = '/__keiko/open';

export type PreviewLimits = Pick<
  PlatformLimits,
  'previewConnectionsPerSession' | 'previewBytesPerSecond' | 'previewLinkTtlMs' | 'previewIdleMs'
>;

/** A port as the lab panel shows it: declared by the lab, or found listening. */
/** Too many relayed connections into one sandbox at once. */
export class TooManyRelaysError extends Error {
  override name = 'TooManyRelaysError';
  /** What the relay answers the browser. */
  readonly statusCode = 503;
}

/** Relayed connections, the byte budget, the agents and the TLS listeners of one session. */
interface SessionRelays {
  open: number;
  budget: ByteBudget;
  agents: Map<number, StreamAgent>;
  streams: Set<Duplex>;
  tls: Map<number, { server: net.Server; port: number; idle: NodeJS.Timeout | undefined }>;
  listening?: { at: number; ports: Promise<number[]> };
}

export interface PreviewServiceOptions {
  sandboxes: SessionManager;
  secret: Buffer;
  /** `scheme://*.domain[:port]` (Env.previewUrl). */
  previewUrl: string;
  limits: PreviewLimits;
  /** The host names the platform's own cookies are set under are never forwarded; neither is this. */
  platformCookies: readonly string[];
  now?: () => number;
}

/** How long one reading of the sandbox's listening ports is reused: the panel polls, the probe is asked less. */
const LISTENING_CACHE_MS = 2_000;
/** A kept-alive connection no request uses for this long is closed, and its process in the probe ends. */
const FREE_SOCKET_MS = 5_000;

/**
 * Opens learners' own servers in their browsers (docs/preview.md): HTTP and WebSockets on a preview
 * origin per session and port, TLS passed through byte for byte on a loopback listener per port.
 * Every connection is a byte stream into the session's probe (SessionManager.openPort), counted and
 * paced per session, and closed when the session ends.
 */
export class PreviewService {
  readonly domain: PreviewDomain;
  private readonly relays = new Map<string, SessionRelays>();
  private readonly now: () => number;

  constructor(private readonly options: PreviewServiceOptions) {
    this.domain = previewDomain(options.previewUrl);
    this.now = options.now ?? Date.now;
    options.sandboxes.onSessionEnded((id) => this.closeSession(id));
  }

  /** The session and port a request's Host names, when it is a preview host. */
  addressOf(host: string | undefined): PreviewAddress | undefined {
    return parsePreviewHost(this.domain, host);
  }

  origin(address: PreviewAddress): string {
    return previewOrigin(this.domain, address);
  }

  /** A link that opens this port of the learner's session in a new tab, valid for a minute. */
  link(session: SandboxSession, port: number): string {
    if (!isRelayablePort(port)) throw new RangeError(`port must be from 1 to 65535, not ${port}`);
    const token = signGrant(this.options.secret, 'preview-link', {
      s: session.id,
      p: port,
      l: session.ownerId,
      e: this.now() + this.options.limits.previewLinkTtlMs,
    });
    return `${this.origin({ sessionId: session.id, port })}${PREVIEW_OPEN_PATH}?token=${token}`;
  }

  /** The declared ports of the lab with what listens now, and any other port something listens on. */
  async ports(session: SandboxSession, declared: readonly LabPort[]): Promise<PortView[]> {
    const listening = new Set(await this.listeningPorts(session.id));
    const views: PortView[] = declared.map((p) => ({
      port: p.port,
      label: p.label,
      tls: p.tls,
      servername: p.servername ?? null,
      declared: true,
      listening: listening.has(p.port),
    }));
    for (const port of [...listening].sort((a, b) => a - b)) {
      if (declared.some((p) => p.port === port)) continue;
      views.push({ port, label: null, tls: false, servername: null, declared: false, listening: true });
    }
    return views;
  }

  /** Ports something listens on in the sandbox, from the kernel's tables read by the probe. */
  private listeningPorts(sessionId: string): Promise<number[]> {
    const relays = this.relaysOf(sessionId);
    const at = this.now();
    if (relays.listening && at - relays.listening.at < LISTENING_CACHE_MS) return relays.listening.ports;
    const ports = this.options.sandboxes
      .exec(sessionId, {
        in: 'probe',
        argv: ['sh', '-c', 'cat /proc/net/tcp; echo ---; cat /proc/net/tcp6'],
        timeoutMs: 5_000,
        outputMaxBytes: 256 * 1024,
      })
      .then((result) => [...new Set(parseListeningSockets(result.stdout).map((s) => s.port))]);
    relays.listening = { at, ports };
    ports.catch(() => (relays.listening = undefined));
    return ports;
  }

  /**
   * Handles a request whose Host is a preview host: spends a link, or relays it when the browser
   * holds this origin's cookie for a live session of the learner who was given the link.
   */
  handleRequest(req: http.IncomingMessage, res: http.ServerResponse, address: PreviewAddress): void {
    const url = new URL(req.url ?? '/', 'http://preview');
    if (url.pathname === PREVIEW_OPEN_PATH) return this.spendLink(url, res, address);
    const session = this.admitted(req, address);
    if (!session) return this.refuse(res);
    this.relayRequestOf(req, res, session, address.port);
  }

  /** Handles an upgrade (a WebSocket) on a preview host: the same cookie, and the page's own origin. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, address: PreviewAddress): void {
    const session = this.admitted(req, address);
    const origin = req.headers.origin;
    if (!session || (origin !== undefined && origin.toLowerCase() !== this.origin(address))) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    void relayUpgrade(req, socket, head, this.target(session, address.port));
  }

  /**
   * Opens (or finds) the loopback listener that passes TLS through to this port of the session:
   * every connection to it is relayed byte for byte, so the browser meets the learner's certificate
   * and the protocol their server negotiates. It closes after the idle limit and with the session.
   */
  async openTls(session: SandboxSession, port: number): Promise<{ listenPort: number }> {
    if (!isRelayablePort(port)) throw new RangeError(`port must be from 1 to 65535, not ${port}`);
    const relays = this.relaysOf(session.id);
    const existing = relays.tls.get(port);
    if (existing) {
      this.armTlsIdle(session.id, port);
      return { listenPort: existing.port };
    }
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      this.armTlsIdle(session.id, port);
      this.openStream(session.id, port).then(
        (stream) => pipeBoth(socket, stream),
        () => socket.destroy(),
      );
    });
    server.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Loopback only: the browser on this machine reaches it, the network does not.
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address() as net.AddressInfo;
    relays.tls.set(port, { server, port: address.port, idle: undefined });
    this.armTlsIdle(session.id, port);
    return { listenPort: address.port };
  }

  /** Everything relayed for the session ends: connections, agents, TLS listeners. */
  closeSession(sessionId: string): void {
    const relays = this.relays.get(sessionId);
    if (!relays) return;
    this.relays.delete(sessionId);
    for (const agent of relays.agents.values()) agent.destroy();
    for (const stream of relays.streams) stream.destroy();
    for (const tls of relays.tls.values()) {
      clearTimeout(tls.idle);
      tls.server.close();
    }
  }

  close(): void {
    for (const id of [...this.relays.keys()]) this.closeSession(id);
  }

  /** Relayed connections open into the session now (for tests and the limits). */
  openConnections(sessionId: string): number {
    return this.relays.get(sessionId)?.open ?? 0;
  }

  private armTlsIdle(sessionId: string, port: number): void {
    const tls = this.relays.get(sessionId)?.tls.get(port);
    if (!tls) return;
    clearTimeout(tls.idle);
    tls.idle = setTimeout(() => {
      this.relays.get(sessionId)?.tls.delete(port);
      tls.server.close();
    }, this.options.limits.previewIdleMs);
    tls.idle.unref();
  }

  private spendLink(url: URL, res: http.ServerResponse, address: PreviewAddress): void {
    const grant = verifyGrant(
      this.options.secret,
      'preview-link',
      url.searchParams.get('token') ?? '',
      this.now(),
    );
    const session = grant && this.options.sandboxes.get(grant.s);
    if (
      !grant ||
      !session ||
      grant.s !== address.sessionId ||
      grant.p !== address.port ||
      grant.l !== session.ownerId
    )
      return this.refuse(
        res,
        'This preview link is not valid here, or it has expired: open the port again from the lab panel.',
      );
    const cookie = signGrant(this.options.secret, 'preview-cookie', {
      ...grant,
      e: Math.min(session.expiresAt.getTime(), this.now() + 24 * 3600_000),
    });
    const maxAge = Math.max(1, Math.floor((session.expiresAt.getTime() - this.now()) / 1000));
    const secure = this.domain.scheme === 'https' ? '; Secure' : '';
    res.writeHead(303, {
      location: '/',
      // Host-only (no Domain): the cookie goes to this preview origin and no other.
      'set-cookie': `${PREVIEW_COOKIE}=${cookie}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    });
    res.end();
  }

  /** The live session this request's preview cookie admits it to, or undefined. */
  private admitted(req: http.IncomingMessage, address: PreviewAddress): SandboxSession | undefined {
    const value = readCookieValue(req.headers.cookie, PREVIEW_COOKIE);
    const grant = verifyGrant(this.options.secret, 'preview-cookie', value, this.now());
    if (!grant || grant.s !== address.sessionId || grant.p !== address.port) return undefined;
    const session = this.options.sandboxes.get(grant.s);
    return session && session.ownerId === grant.l ? session : undefined;
  }

  private refuse(res: http.ServerResponse, message?: string): void {
    const text = message ?? 'Open this preview from the lab panel of your own session (Ports, then Open).';
    const body = `<!doctype html><meta charset="utf-8"><title>Keiko preview</title><p>${text}</p>\n`;
    res.writeHead(403, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    });
    res.end(body);
  }

  private relayRequestOf(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    session: SandboxSession,
    port: number,
  ): void {
    this.options.sandboxes.touch(session.id);
    relayRequest(req, res, this.target(session, port));
  }

  private target(session: SandboxSession, port: number): RelayTarget {
    const relays = this.relaysOf(session.id);
    let agent = relays.agents.get(port);
    if (!agent) {
      agent = new StreamAgent(() => this.openStream(session.id, port), {
        keepAlive: true,
        timeout: FREE_SOCKET_MS,
        maxSockets: this.options.limits.previewConnectionsPerSession,
        maxTotalSockets: this.options.limits.previewConnectionsPerSession,
      });
      relays.agents.set(port, agent);
    }
    const token = sessionToken(this.options.secret, session.id);
    const address = { sessionId: session.id, port };
    return {
      agent,
      openStream: () => this.openStream(session.id, port),
      rewrite: {
        port,
        previewHost: new URL(this.origin(address)).host,
        previewProto: this.domain.scheme,
        strippedCookies: [PREVIEW_COOKIE, ...this.options.platformCookies],
        isPlatformAuthorization: (value) =>
          /^Bearer\s+/i.test(value) && value.replace(/^Bearer\s+/i, '') === token,
      },
    };
  }

  /** A new connection into the session's port, within its connection limit and byte budget. */
  private async openStream(sessionId: string, port: number): Promise<Duplex> {
    const relays = this.relaysOf(sessionId);
    if (relays.open >= this.options.limits.previewConnectionsPerSession)
      await this.freeIdleConnection(relays);
    if (relays.open >= this.options.limits.previewConnectionsPerSession)
      throw new TooManyRelaysError(
        `this sandbox already has ${relays.open} connections open from the browser (the limit); close a tab or wait`,
      );
    relays.open += 1;
    let inner: Duplex;
    try {
      inner = await this.options.sandboxes.openPort(sessionId, port);
    } catch (error) {
      relays.open -= 1;
      throw error;
    }
    const stream = new RelayStream(inner, {
      budget: relays.budget,
      idleMs: this.options.limits.previewIdleMs,
    });
    relays.streams.add(stream);
    stream.once('close', () => {
      relays.open -= 1;
      relays.streams.delete(stream);
    });
    if (!this.relays.has(sessionId)) stream.destroy(); // the session ended while this one opened
    return stream;
  }

  /** Closes one kept-alive connection no request is using, to make room for a new one. */
  private async freeIdleConnection(relays: SessionRelays): Promise<void> {
    for (const agent of relays.agents.values()) {
      for (const sockets of Object.values(agent.freeSockets)) {
        const socket = sockets?.[0];
        if (socket) {
          const closed = new Promise((resolve) => socket.once('close', resolve));
          socket.destroy();
          await closed;
          return;
        }
      }
    }
  }

  private relaysOf(sessionId: string): SessionRelays {
    let relays = this.relays.get(sessionId);
    if (!relays) {
      relays = {
        open: 0,
        budget: new ByteBudget(this.options.limits.previewBytesPerSecond),
        agents: new Map(),
        streams: new Set(),
        tls: new Map(),
      };
      this.relays.set(sessionId, relays);
    }
    return relays;
  }
}

function readCookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
