import { commandKind } from './command';
import { dnsKind } from './dns';
import { fileKind } from './file';
import { httpKind } from './http';
import { portKind } from './port';
import { processKind } from './process';
import { sequenceKind } from './sequence';
import { tlsKind } from './tls';
import { tlsGradeKind } from './tls-grade';
import { websocketKind } from './websocket';

/** The check kinds labs can use. A new kind is one module here and one line in this list. */
export const BUILTIN_CHECK_KINDS = [
  httpKind,
  sequenceKind,
  websocketKind,
  dnsKind,
  tlsKind,
  tlsGradeKind,
  commandKind,
  fileKind,
  processKind,
  portKind,
] as const;
