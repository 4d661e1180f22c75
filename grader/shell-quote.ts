/** Quotes argv for a POSIX shell, so the `command` a learner copies runs exactly what the grader ran. */
export function shellQuote(argv: string[]): string {
  return argv
    .map((arg) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`))
    .join(' ');
}
