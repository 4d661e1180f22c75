/** Pure readers of what the probe's tools print: text in, typed facts out, no I/O. */
export { CurlJsonSchema, NotCurlJsonError, parseCurlJson, type CurlFacts } from './curl-json';
export { ToolOutputError } from './json-text';
export {
  NotTlsProbeJsonError,
  parseTlsProbe,
  TLS_FAILURE_STAGES,
  TLS_VERSIONS,
  TlsProbeSchema,
  TlsVersionSchema,
  type TlsProbeFacts,
  type TlsProbeStage,
  type TlsVersion,
} from './tls-probe';
export { versionSupport, type VersionSupport } from './tls-version';
export { bindScope, parseListeningSockets, type ListeningSocket } from './proc-net-tcp';
