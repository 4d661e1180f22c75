/** One line of progress from preparing an image, for the CLI and the UI to show as it happens. */
export interface ImageProgress {
  image: string;
  phase: 'check' | 'pull' | 'bootstrap' | 'import' | 'build' | 'done';
  message: string;
}

export type OnImageProgress = (event: ImageProgress) => void;
