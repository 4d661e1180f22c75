import fs from 'node:fs';
import { WebSocket } from 'ws';

/** A terminal client the way the browser's is, in Node: JSON frames out, output bytes in, acks. */
export class TerminalClient {
  output = '';
  bytes = 0;
  closeCode: number | undefined;
  private constructor(
    readonly ws: WebSocket,
    /** Acknowledge output as it arrives, like xterm.js does once it has rendered it. */
    public ack: boolean,
  ) {
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      const chunk = data as Buffer;
      this.bytes += chunk.length;
      this.output += chunk.toString('utf8');
      if (this.output.length > 1_000_000) this.output = this.output.slice(-200_000);
      if (this.ack) ws.send(JSON.stringify({ type: 'ack', bytes: chunk.length }));
    });
    ws.on('close', (code) => (this.closeCode = code));
  }

  static open(
    url: string,
    options: { ack?: boolean; headers?: Record<string, string> } = {},
  ): Promise<TerminalClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: options.headers });
      const client = new TerminalClient(ws, options.ack ?? true);
      ws.on('open', () => resolve(client));
      ws.on('unexpected-response', (_request, response) =>
        reject(new Error(`refused with ${response.statusCode}`)),
      );
      ws.on('error', reject);
    });
  }

  type(data: string): void {
    this.ws.send(JSON.stringify({ type: 'input', data }));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** Resident memory of a process, in MiB. */
export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}
