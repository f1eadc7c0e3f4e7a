// Tells the shell once per window when the first inbox is on screen (after the frame with the
// rows is drawn): the start-up time in Diagnostics and the start benchmark come from it.
import { api } from '../../api';

let reported = false;

const nextFrame = (f: () => void) =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(f) : setTimeout(f, 0);

export function reportFirstPaint(): void {
  if (reported) return;
  reported = true;
  nextFrame(() =>
    nextFrame(() => {
      void api.inboxPainted().catch(() => {});
    })
  );
}
