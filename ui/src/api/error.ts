import type { ErrorCode } from './types';

/** An error from a command, as the shell sends it: `{code, message, retryable}`. */
export class ApiError extends Error {
  readonly code: ErrorCode | 'unknown';
  readonly retryable: boolean;

  constructor(code: ErrorCode | 'unknown', message: string, retryable: boolean) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.retryable = retryable;
  }
}

function isErrorShape(e: unknown): e is { code: string; message: string; retryable?: boolean } {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

/** Whatever a rejected `invoke` gives, as an ApiError (never a stack trace for the user). */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isErrorShape(e)) {
    return new ApiError(e.code as ErrorCode, e.message, e.retryable === true);
  }
  // A plain string or a foreign error: the message of an unknown code; details stay in the log.
  const text = typeof e === 'string' ? e : '';
  return new ApiError('unknown', text, false);
}
