/**
 * The preview relay: a learner's own server, opened in the browser through connections into the
 * sandbox (docs/preview.md). Node built-ins only; it knows nothing of sandboxes or the web app: the
 * platform hands it a function that opens a byte stream.
 */
export { ByteBudget } from './byte-budget';
export { RelayStream, type RelayStreamOptions } from './relay-stream';
export { forwardHeaders, backwardHeaders, type HeaderRewrite } from './forward-headers';
export {
  StreamAgent,
  relayRequest,
  relayUpgrade,
  relayError,
  pipeBoth,
  type RelayTarget,
} from './http-relay';
