'use client';

import { useEffect, useState } from 'react';
import { OpenedPortSchema, PortListSchema, type OpenedPort, type PortView } from '@/contract';
import { readAnswer } from '../api-answer';

/** How often the panel asks what listens: the server reads the sandbox's tables at most every 2 s. */
const POLL_MS = 3_000;

async function openPort(sessionId: string, port: number, tls?: boolean): Promise<OpenedPort> {
  const response = await fetch(`/api/sessions/${sessionId}/ports/${port}/open`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(tls === undefined ? {} : { tls }),
  });
  const answer = await readAnswer(response, OpenedPortSchema);
  if (!answer.ok) throw new Error(answer.message);
  return answer.value;
}

/**
 * The lab's web ports (docs/preview.md): the ports its lessons use, which of them something listens
 * on now (asked only while this is on screen and the page visible), and Open, which opens the
 * learner's own server in a new tab on an origin of its own.
 */
export function LabPorts({ sessionId }: { sessionId: string }) {
  const [ports, setPorts] = useState<PortView[]>([]);
  const [typed, setTyped] = useState('');
  const [typedTls, setTypedTls] = useState(false);
  const [note, setNote] = useState<{ port: number; text: string; url?: string } | null>(null);

  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      if (document.visibilityState !== 'visible') return;
      const response = await fetch(`/api/sessions/${sessionId}/ports`, { cache: 'no-store' }).catch(
        () => undefined,
      );
      if (!response?.ok || stopped) return;
      const answer = await readAnswer(response, PortListSchema);
      if (answer.ok && !stopped) setPorts(answer.value.ports);
    };
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [sessionId]);

  const open = async (port: number, tls?: boolean) => {
    // The tab is opened now, in the click, so no popup blocker stops it; it learns its address next.
    const tab = window.open('about:blank', '_blank');
    if (tab) tab.opener = null;
    try {
      const opened = await openPort(sessionId, port, tls);
      if (opened.kind === 'tls') {
        setNote({
          port,
          url: opened.url,
          text:
            `TLS passes straight through to your server on port ${port}: the browser sees your certificate` +
            (opened.servername
              ? ` and must ask for ${opened.servername}, so that name must resolve to 127.0.0.1 on this machine (see the lesson).`
              : '.'),
        });
      } else setNote(null);
      if (tab) tab.location.href = opened.url;
    } catch (error) {
      tab?.close();
      setNote({ port, text: error instanceof Error ? error.message : String(error) });
    }
  };

  const typedPort = Number(typed);
  const typedValid = /^\d{1,5}$/.test(typed) && typedPort >= 1 && typedPort <= 65_535;
  return (
    <section className="lab-ports" aria-label="Ports" data-testid="lab-ports">
      <h3>Ports</h3>
      {ports.length === 0 && <p className="muted">Nothing listens yet.</p>}
      <ul>
        {ports.map((port) => (
          <li key={port.port} data-testid={`port-${port.port}`} data-listening={port.listening}>
            <span className={port.listening ? 'port-dot on' : 'port-dot'} aria-hidden="true" />
            <span className="port-number">
              {port.tls ? 'https' : 'http'} :{port.port}
            </span>
            <span className="port-label">
              {port.label ?? 'listening'}
              <span className="muted"> · {port.listening ? 'listening' : 'nothing listens'}</span>
            </span>
            <button onClick={() => void open(port.port)} aria-label={`Open port ${port.port} in a new tab`}>
              Open
            </button>
          </li>
        ))}
      </ul>
      <form
        className="port-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (typedValid) void open(typedPort, typedTls);
        }}
      >
        <label>
          Port{' '}
          <input
            inputMode="numeric"
            value={typed}
            onChange={(e) => setTyped(e.target.value.trim())}
            size={6}
          />
        </label>
        <label>
          <input type="checkbox" checked={typedTls} onChange={(e) => setTypedTls(e.target.checked)} /> TLS
        </label>
        <button type="submit" disabled={!typedValid}>
          Open
        </button>
      </form>
      {note && (
        <p className="port-note" role="status" data-testid="port-note">
          {note.text} {note.url && <code>{note.url}</code>}
        </p>
      )}
    </section>
  );
}
