export {
  PreviewService,
  PREVIEW_COOKIE,
  PREVIEW_OPEN_PATH,
  TooManyRelaysError,
  type PreviewLimits,
} from './preview-service';
export {
  parsePreviewHost,
  previewDomain,
  previewOrigin,
  previewLabel,
  type PreviewAddress,
} from './preview-names';
export { signGrant, verifyGrant, type PreviewGrant } from './preview-token';
