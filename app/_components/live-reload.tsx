'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/** In development: the server says when a lesson or lab file changed, and the page re-renders with it. */
export function LiveReload() {
  const router = useRouter();
  useEffect(() => {
    const events = new EventSource('/__keiko/content-events');
    events.onmessage = () => router.refresh();
    return () => events.close();
  }, [router]);
  return null;
}
