/** Printed by `h2proxy --version` and in the help. */
export const VERSION = '0.1.0';
