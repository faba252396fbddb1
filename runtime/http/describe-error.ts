/** @module What went wrong with a call, in a few words: a network error's cause (e.g. `connect ECONNREFUSED …`) over fetch's own "fetch failed". */
export function describeCallError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return cause.message;
    return error.message;
  }
  return String(error);
}
