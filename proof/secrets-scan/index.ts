export { describeHits, MIN_CUT_PREFIX_LENGTH, MIN_PARTIAL_LENGTH, MIN_SCANNED_SECRET_LENGTH, scanForSecrets, secretLeaves, secretNeedles } from "./scan";
export type { ScannableMessage, ScanPlace, SecretForm, SecretHit, SecretScanInput, SecretScanResult } from "./scan";
