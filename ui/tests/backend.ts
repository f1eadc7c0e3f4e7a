// A fake shell behind mockIPC: each test says what the commands answer; every call is recorded;
// a command the test did not expect fails the test. The component usually swallows the rejected
// promise (it shows an error notice), so the throw alone would go unseen: each unexpected command
// is also kept here and setup.ts fails the test after it ends.
import { tick } from 'svelte';
import { emit } from '@tauri-apps/api/event';
import { mockIPC } from '@tauri-apps/api/mocks';
import type { ErrorCode } from '../src/api/types';

export type Handler = (args: Record<string, unknown>) => unknown;
export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

let unexpected: string[] = [];

/** The commands called since the last check that no test declared; clears the record. */
export function takeUnexpected(): string[] {
  const seen = unexpected;
  unexpected = [];
  return seen;
}

/** Calls the page makes on its own schedule, not a test's: the first-paint report comes two
 * frames after the inbox is drawn, and «viewed» is written after the file is shown (or a
 * fallback time), so on a loaded machine either can land in the next test. */
const background: Record<string, unknown> = { inbox_painted: 0, mark_viewed: null };

export function backend(declared: Record<string, Handler | unknown>) {
  const handlers = { ...background, ...declared };
  const calls: Call[] = [];
  mockIPC(
    (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      if (!(cmd in handlers)) {
        unexpected.push(cmd);
        throw new Error(`unexpected command ${cmd}`);
      }
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

/** Waits until every reply already given has been handled and the screen shows the result: a
 * negative check ("nothing was synced") means something only after this. */
export async function settled(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await tick();
  }
}
