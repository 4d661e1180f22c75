import { EventEmitter } from 'node:events';
import fs from 'node:fs';

/**
 * Tells listeners when a lesson or lab file changed (development only): each burst of file events
 * (an editor writes a file in several steps) becomes one `change` with the files it touched.
 */
export class ContentWatcher extends EventEmitter<{ change: [files: string[]] }> {
  private readonly watchers: fs.FSWatcher[] = [];
  private pending = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    dirs: string[],
    private readonly debounceMs = 150,
  ) {
    super();
    for (const dir of dirs) {
      if (!fs.existsSync(dir)) continue;
      this.watchers.push(
        fs.watch(dir, { recursive: true }, (_event, file) => {
          if (file) this.pending.add(`${dir}/${file.toString()}`);
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.flush(), this.debounceMs);
        }),
      );
    }
  }

  private flush(): void {
    const files = [...this.pending];
    this.pending = new Set();
    this.emit('change', files);
  }

  close(): void {
    clearTimeout(this.timer);
    for (const watcher of this.watchers) watcher.close();
  }
}
