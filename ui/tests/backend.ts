// A fake shell behind mockIPC: each test says what the commands answer; every call is recorded;
// a command the test did not expect fails the test. The component usually swallows the rejected
// promise (it shows an error notice), so the throw alone would go unseen: each unexpected command
// is also kept here and setup.ts fails the test after it ends.
import { tick } from 'svelte';
import { emit } from '@tauri-apps/api/event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { COMPANY_FREE } from '../src/api/company';
import type { CompanyList, ErrorCode } from '../src/api/types';

export type Handler = (args: Record<string, unknown>) => unknown;
export interface Call {
  cmd: string;
  /** The arguments without `company`, which every call about the company's data carries. */
  args: Record<string, unknown>;
  /** The company the page named. */
  company?: unknown;
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

/** The one company a test's shell has unless the test declares `companies`. */
export const ONE_COMPANY: CompanyList = {
  open: { id: 'main', name: 'Основная компания' },
  companies: [{ id: 'main', name: 'Основная компания', default: true, waiting: { decision: 0, signature: 0 }, problem: null }]
};

export function backend(declared: Record<string, Handler | unknown>) {
  const handlers: Record<string, Handler | unknown> = { ...background, companies: ONE_COMPANY, ...declared };
  // The open company alone, as the declared list names it.
  handlers.company_open ??= (args: Record<string, unknown>) => {
    const list = handlers.companies;
    const answer = typeof list === 'function' ? (list as Handler)(args) : list;
    return answer instanceof Promise ? answer.then((l: CompanyList) => l.open) : (answer as CompanyList).open;
  };
  const calls: Call[] = [];
  // Which company this fake shell has open: the one `companies` names, then each switch's.
  const listed = handlers.companies;
  let open: unknown = typeof listed === 'function' ? null : (listed as CompanyList).open.id;
  const opened = (answer: unknown, id: (a: never) => string) =>
    answer instanceof Promise ? answer.then((a) => (open = id(a as never))) : (open = id(answer as never));
  mockIPC(
    (cmd, payload) => {
      const { company, ...args } = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args, company });
      if (!(cmd in handlers)) {
        unexpected.push(cmd);
        throw new Error(`unexpected command ${cmd}`);
      }
      // The page must name the company it shows in every call about that company's data.
      if (!COMPANY_FREE.has(cmd) && company !== open) {
        unexpected.push(`${cmd} for company ${String(company)} (open: ${String(open)})`);
        throw new Error(`${cmd} named company ${String(company)}`);
      }
      const h = handlers[cmd];
      const answer = typeof h === 'function' ? (h as Handler)(args) : h;
      if (cmd === 'companies') opened(answer, (a: CompanyList) => a.open.id);
      if (cmd === 'company_open') opened(answer, (a: { id: string }) => a.id);
      if (cmd === 'company_switch') opened(answer, (a: { id: string }) => a.id);
      return answer;
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
