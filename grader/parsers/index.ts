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
export {
  formatCookieJar,
  parseCookieJar,
  parseCurlParallel,
  parseCurlTransfer,
  parseSetCookie,
  tamperCookieValue,
  PARALLEL_WRITE_OUT,
  TRANSFER_WRITE_OUT,
  type JarCookie,
  type ResponseHeaders,
  type SetCookie,
  type TransferFacts,
} from './curl-writeout';
export { NotWsProbeJsonError, parseWsProbe, WsProbeSchema, type WsProbeFacts } from './ws-probe';
export {
  NotDigYamlError,
  normalizeRecordData,
  parseDigYaml,
  type DigFacts,
  type DnsRecord,
} from './dig-yaml';
export { ApacheConfigTestSchema, parseApachectlTest, type ApacheConfigTest } from './apachectl';
