/** Structured warnings: a stable machine-readable code and a sentence for people. */

/** Something the user should know; `code` is stable across versions (JSON consumers key on it). */
export interface Warning {
  code: string;
  message: string;
}

/** Builds a warning. */
export function warning(code: string, message: string): Warning {
  return { code, message };
}
