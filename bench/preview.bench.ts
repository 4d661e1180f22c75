// The preview relay (docs/preview.md): a request to the learner's own server through `keiko serve`'s
// preview path (cookie check, header rewrite, paced RelayStream, StreamAgent, exec stream into the
// probe, forwarder), beside the same request over a bare dockerode exec running the same forwarder,
// with Node's HTTP client on both. Both keep their connection alive between requests.
import http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { PreviewService, previewDomain, previewOrigin, signGrant } from '@/platform';
import { FORWARDER_SOURCE, labImageTag } from '@/sandbox';
import { bareDocker, bareStreamExec, sessionContainer } from './baselines/docker';
import { benchSessionManager } from './session-manager';
import { median, timeRuns } from './stats';
import type { Benchmark } from './types';

const REQUESTS = Number(process.env.BENCH_PREVIEW_REQUESTS ?? 100);
const DOWNLOADS = 5;
const BIG_MIB = 4;

/** Python's threading HTTP server with keep-alive, serving hello.txt and a big file from /tmp/www. */
const SERVER = `import http.server, functools
class H(http.server.SimpleHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(('127.0.0.1', 8080), functools.partial(H, directory='/tmp/www')).serve_forever()
`;

/** Sockets methods Node's HTTP agent calls on its connections, for the bare stream. */
function socketLike(stream: Duplex): Duplex {
  return Object.assign(stream, {
    setKeepAlive: () => stream,
    setNoDelay: () => stream,
    setTimeout: () => stream,
    ref: () => stream,
    unref: () => stream,
  });
}

async function get(agent: http.Agent, options: http.RequestOptions, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ ...options, agent, path }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(bytes) : reject(new Error(`status ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const bench: Benchmark = {
  name: 'preview',
  description: `${REQUESTS} small requests and ${DOWNLOADS} downloads of ${BIG_MIB} MiB from the learner's server, through the preview relay and over a bare exec stream`,
  async run(log) {
    const { manager } = benchSessionManager();
    const session = await manager.start({
      labId: 'bench-preview',
      image: labImageTag('bottle'),
      ownerId: 'bench',
    });
    const server = http.createServer();
    try {
      await manager.exec(session.id, {
        argv: [
          'bash',
          '-c',
          `mkdir -p /tmp/www && echo 'Hello World!' > /tmp/www/hello.txt && head -c ${BIG_MIB}M /dev/urandom > /tmp/www/big.bin && cat > /tmp/srv.py && (nohup python3 /tmp/srv.py < /dev/null > /tmp/srv.log 2>&1 &)`,
        ],
        stdin: SERVER,
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));

      // Keiko: the preview service behind an HTTP server, as keiko serve wires it; the byte budget is
      // set far above the transfer so the figure is the relay's own cost, not its default 4 MiB/s cap.
      const secret = Buffer.alloc(32, 3);
      const preview = new PreviewService({
        sandboxes: manager,
        secret,
        previewUrl: 'http://*.localhost:3999',
        limits: {
          previewConnectionsPerSession: 4,
          previewBytesPerSecond: 1024 ** 3,
          previewLinkTtlMs: 60_000,
          previewIdleMs: 600_000,
        },
        platformCookies: [],
      });
      const address = { sessionId: session.id, port: 8080 };
      server.on('request', (req, res) => preview.handleRequest(req, res, address));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const cookie = `keiko_preview=${signGrant(secret, 'preview-cookie', { s: session.id, p: 8080, l: 'bench', e: Date.now() + 3_600_000 })}`;
      const ours = {
        agent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
        options: {
          host: '127.0.0.1',
          port: (server.address() as net.AddressInfo).port,
          headers: {
            host: new URL(previewOrigin(previewDomain('http://*.localhost:3999'), address)).host,
            cookie,
          },
        },
      };
      // Baseline: the same forwarder over a bare dockerode exec in the probe, Node's HTTP client on it.
      const probe = await sessionContainer(bareDocker(), session.id, 'probe');
      const bareAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      (bareAgent as unknown as { createConnection: unknown }).createConnection = (
        _options: unknown,
        callback: (error: Error | null, stream?: Duplex) => void,
      ) => {
        bareStreamExec(probe, ['node', '-e', FORWARDER_SOURCE, '8080']).then(
          (stream) => callback(null, socketLike(stream)),
          (error: Error) => callback(error),
        );
        return undefined;
      };
      const bare = { agent: bareAgent, options: { headers: { host: 'localhost:8080' } } };

      const rows = [];
      for (const [which, side] of [
        ['warm-up keiko', ours],
        ['warm-up bare', bare],
      ] as const) {
        await get(side.agent, side.options, '/hello.txt');
        log(`${which} done`);
      }
      const small = async (side: typeof ours | typeof bare) =>
        median(
          await timeRuns(REQUESTS, () => get(side.agent, side.options, '/hello.txt').then(() => undefined)),
        );
      const oursSmall = await small(ours);
      const bareSmall = await small(bare);
      rows.push({
        metric: 'GET /hello.txt, kept-alive connection (median)',
        unit: 'ms' as const,
        ours: oursSmall,
        baseline: bareSmall,
        baselineName: 'bare dockerode exec stream + the same forwarder, Node http client',
        samples: REQUESTS,
      });
      const throughput = async (side: typeof ours | typeof bare) => {
        const times = await timeRuns(DOWNLOADS, () =>
          get(side.agent, side.options, '/big.bin').then(() => undefined),
        );
        return (BIG_MIB * 1.048576) / (median(times) / 1000);
      };
      const oursBig = await throughput(ours);
      const bareBig = await throughput(bare);
      rows.push({
        metric: `GET ${BIG_MIB} MiB file (median throughput)`,
        unit: 'MB/s' as const,
        ours: oursBig,
        baseline: bareBig,
        baselineName: 'bare dockerode exec stream + the same forwarder, Node http client',
        samples: DOWNLOADS,
      });
      ours.agent.destroy();
      bareAgent.destroy();
      preview.close();
      return rows;
    } finally {
      server.close();
      await manager.stop(session.id, 'benchmark finished');
      manager.close();
    }
  },
};

export default bench;
