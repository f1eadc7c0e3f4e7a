// Events the shell emits. Each subscription returns a function that stops it.
import { listen } from '@tauri-apps/api/event';
import type { AlertTarget, Company, Connectivity, FilesDropped, OpenLink, SignProgress, SyncProgress, TextIndexed } from './types';

export type Unsubscribe = () => void;

function subscribe<T>(event: string, handler: (payload: T) => void): Unsubscribe {
  let stop: (() => void) | null = null;
  let stopped = false;
  listen<T>(event, (e) => handler(e.payload))
    .then((un) => {
      if (stopped) un();
      else stop = un;
    })
    .catch(() => {
      // Outside Tauri (tests without event mocks) there is nothing to listen to.
    });
  return () => {
    stopped = true;
    stop?.();
  };
}

export const onSignProgress = (h: (p: SignProgress) => void) => subscribe('sign_progress', h);
export const onSyncProgress = (h: (p: SyncProgress) => void) => subscribe('sync_progress', h);
export const onConnectivity = (h: (p: Connectivity) => void) => subscribe('connectivity', h);
/** A `qoltanba://open?link=…` the OS handed to the running app. */
export const onOpenLink = (h: (p: OpenLink) => void) => subscribe('open-link', h);
/** Files dropped on the window: the shell keeps their paths; the page imports them by `drop`. */
export const onFilesDropped = (h: (p: FilesDropped) => void) => subscribe('files-dropped', h);
/** The background indexer added the rest of some documents' text to the search. */
export const onTextIndexed = (h: (p: TextIndexed) => void) => subscribe('text_indexed', h);
/** A desktop notification was clicked: open what it was about. */
export const onAlertOpen = (h: (p: AlertTarget) => void) => subscribe('alert_open', h);
/** Another company was opened (by the page, or by a click on a notification of that company):
 * everything on screen is of the company before. */
export const onCompanySwitched = (h: (p: Company) => void) => subscribe('company-switched', h);
