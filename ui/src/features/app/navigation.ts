// Requests to show a screen from deep inside another one (the document view asks for the act it
// just created) without threading callbacks through every screen in between. App.svelte listens.
import type { ActId } from '../../api/types';
import type { Screen } from './screen';

export interface ScreenRequest {
  screen: Screen;
  /** With `acts`: the act to open in the editor. */
  actId?: ActId;
  /** With `actId`: the field to focus and highlight (the register named it). */
  field?: string;
}

type Listener = (r: ScreenRequest) => void;
const listeners = new Set<Listener>();

export function requestScreen(r: ScreenRequest): void {
  for (const l of listeners) l(r);
}

/** Returns the unsubscribe function. */
export function onScreenRequest(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
