export { describeHits, MIN_SCANNED_SECRET_LENGTH, scanForSecrets, secretNeedles } from "./scan";
export type { ScannableMessage, ScanPlace, SecretForm, SecretHit, SecretScanInput, SecretScanResult } from "./scan";
