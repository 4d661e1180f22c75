/** One line of progress from preparing an image, for the CLI and the UI to show as it happens. */
export interface ImageProgress {
  image: string;
  /** `wait`: queued behind the images it starts FROM or the build slots; `failed`: message says why. */
  phase: 'wait' | 'check' | 'pull' | 'bootstrap' | 'import' | 'build' | 'done' | 'failed';
  message: string;
}

export type OnImageProgress = (event: ImageProgress) => void;
