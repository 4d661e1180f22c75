import { createPlatform } from '@/platform';
import { PROJECT_ROOT } from '../project-root';

/** `keiko sessions list`: the live sessions of this data directory. */
export async function listSessions(options: { json: boolean }): Promise<number> {
  const platform = createPlatform({ rootDir: PROJECT_ROOT });
  try {
    const live = platform.store.sessions.live();
    if (options.json) console.log(JSON.stringify(live, null, 2));
    else if (live.length === 0) console.log('no live sessions');
    else
      for (const s of live)
        console.log(`${s.id}  ${s.status.padEnd(8)}  ${s.labId}  owner ${s.ownerId}  expires ${s.expiresAt}`);
    return 0;
  } finally {
    await platform.close();
  }
}

/**
 * `keiko sessions stop --all`: ends every session of this data directory and removes every labelled
 * container and volume no live session owns (a server must not be running on the same engine).
 */
export async function stopAllSessions(): Promise<number> {
  const platform = createPlatform({ rootDir: PROJECT_ROOT });
  try {
    const { adopted, ended } = await platform.sessions.recover();
    for (const id of adopted) await platform.sessions.stop(id, 'stopped by keiko sessions stop --all');
    const reaped = await platform.sessions.reap();
    console.error(
      `keiko: stopped ${adopted.length} live and ${ended.length} left-over sessions; removed ${reaped} orphaned objects`,
    );
    return 0;
  } finally {
    await platform.close();
  }
}
