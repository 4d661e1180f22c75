import 'server-only';
import { StepEventSchema, type StepEvent } from '@/contract';
import { currentPlatform } from '@/platform';
import { inContract } from './http.server';

/** A comment line now and then keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

/** The session's step events as server-sent events, until the client goes away. */
export function stepEventStream(sessionId: string, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  let close = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      const stopWatching = currentPlatform().liveSteps.open(sessionId, (event: StepEvent) =>
        send(`data: ${JSON.stringify(inContract(StepEventSchema, event))}\n\n`),
      );
      const keepalive = setInterval(() => send(': keepalive\n\n'), KEEPALIVE_MS);
      close = () => {
        clearInterval(keepalive);
        stopWatching();
        try {
          controller.close();
        } catch {
          // Already closed by the client.
        }
      };
      signal.addEventListener('abort', () => close());
      send(': open\n\n');
    },
    cancel() {
      close();
    },
  });
  return new Response(body, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    },
  });
}
