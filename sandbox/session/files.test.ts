import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { FileTooLargeError } from '../errors';
import { packTree } from './files';

const OWNER = { maxBytes: 1024, uid: 1000, gid: 1000 };

/** The entries of an archive, in order: name, type, owner and mode. */
async function entriesOf(archive: Buffer): Promise<string[]> {
  const names: string[] = [];
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    names.push(`${header.name} ${header.type} ${header.uid} ${(header.mode ?? 0).toString(8)}`);
    stream.resume();
    stream.on('end', next);
  });
  const done = new Promise<void>((resolve) => extract.on('finish', () => resolve()));
  extract.end(archive);
  await done;
  return names;
}

describe('packTree', () => {
  it("puts a starter tree after a place's seed in one archive, under the workdir's folder", async () => {
    const seed = await packTree([{ relativePath: 'app/README', content: Buffer.from('seed\n') }], {
      ...OWNER,
      uid: 0,
    });
    const merged = await packTree(
      [{ relativePath: 'views/index.tpl', content: Buffer.from('<p/>\n'), mode: 0o600 }],
      OWNER,
      { archive: seed, prefix: 'app' },
    );
    expect(await entriesOf(merged)).toEqual([
      'app/ directory 0 755',
      'app/README file 0 644',
      'app/views/ directory 1000 755',
      'app/views/index.tpl file 1000 600',
    ]);
  });

  it('refuses a file over the limit and a path that climbs out of its folder', async () => {
    await expect(
      packTree([{ relativePath: 'big', content: Buffer.alloc(2048) }], OWNER),
    ).rejects.toBeInstanceOf(FileTooLargeError);
    await expect(packTree([{ relativePath: '../x', content: Buffer.from('') }], OWNER)).rejects.toThrow(
      /relative path inside/,
    );
  });
});
