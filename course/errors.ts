/** A problem in a lesson or lab file, pointing at the file, line and column, as editors read it. */
export class ContentError extends Error {
  override name = 'ContentError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}:${column} ${problem}`);
  }
}
