// A fake shell behind mockIPC: each test says what the commands answer; every call is recorded;
// a command the test did not expect fails loudly.
import { emit } from '@tauri-apps/api/event';
import { mockIPC } from '@tauri-apps/api/mocks';
import type { ErrorCode } from '../src/api/types';

export type Handler = (args: Record<string, unknown>) => unknown;
export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

export function backend(handlers: Record<string, Handler | unknown>) {
  const calls: Call[] = [];
  mockIPC(
    (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      if (!(cmd in handlers)) throw new Error(`unexpected command ${cmd}`);
      const h = handlers[cmd];
      return typeof h === 'function' ? (h as Handler)(args) : h;
    },
    { shouldMockEvents: true }
  );
  return {
    calls,
    called: (cmd: string) => calls.filter((c) => c.cmd === cmd),
    emit: (event: string, payload: unknown) => emit(event, payload)
  };
}

/** What the shell sends for a failed command. */
export function failure(code: ErrorCode, message: string, retryable = false): never {
  throw { code, message, retryable };
}
