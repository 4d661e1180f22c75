import { createPlatform } from '@/platform';
import { PROJECT_ROOT } from '../project-root';

/** `keiko sessions list`: the live sessions of this data directory, with the process holding each. */
export async function listSessions(options: { json: boolean }): Promise<number> {
  const platform = createPlatform({ rootDir: PROJECT_ROOT });
  try {
    const live = platform.store.sessions.live().map((session) => {
      const holder = session.holderId ? platform.store.sessions.holder(session.holderId) : undefined;
      return {
        ...session,
        startedBy: holder
          ? {
              kind: holder.kind,
              pid: holder.pid,
              host: holder.host,
              seenAt: holder.seenAt,
              closed: !!holder.endedAt,
            }
          : null,
      };
    });
    if (options.json) console.log(JSON.stringify(live, null, 2));
    else if (live.length === 0) console.log('no live sessions');
    else
      for (const s of live) {
        const by = s.startedBy
          ? `${s.startedBy.kind} (pid ${s.startedBy.pid}${s.startedBy.closed ? ', closed' : ''})`
          : 'an older Keiko';
        console.log(
          `${s.id}  ${s.status.padEnd(8)}  ${s.labId}  started by ${by}  owner ${s.ownerId}  expires ${s.expiresAt}`,
        );
      }
    return 0;
  } finally {
    await platform.close();
  }
}

/**
 * `keiko sessions stop --all`: ends every session of this data directory, whichever process started
 * it, and removes this installation's containers and volumes that no session owns. Another
 * installation's sandboxes on the same engine are not touched.
 */
export async function stopAllSessions(): Promise<number> {
  const platform = createPlatform({ rootDir: PROJECT_ROOT });
  try {
    const { stopped, reaped } = await platform.sandboxes.stopAll('stopped by keiko sessions stop --all');
    console.error(`keiko: stopped ${stopped} sessions; removed ${reaped} orphaned objects`);
    return 0;
  } finally {
    await platform.close();
  }
}
