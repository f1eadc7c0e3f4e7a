// Tells the shell once per window when the first inbox is on screen (after the frame with the
// rows is drawn): the start-up time in Diagnostics and the start benchmark come from it.
import { api } from '../../api';

let reported = false;
let painted = false;
const afterPaint: (() => void)[] = [];

/** Runs `f` once the first inbox is on screen (or after `fallbackMs`, for a window that opens on
 * another screen), so work the first screen does not need does not slow it down. Returns a
 * function that cancels it. */
export function afterFirstPaint(f: () => void, fallbackMs = 2000): () => void {
  if (painted) {
    f();
    return () => {};
  }
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    f();
  };
  const timer = setTimeout(run, fallbackMs);
  afterPaint.push(run);
  return () => {
    done = true;
    clearTimeout(timer);
  };
}

const nextFrame = (f: () => void) =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(f) : setTimeout(f, 0);

export function reportFirstPaint(): void {
  if (reported) return;
  reported = true;
  nextFrame(() =>
    nextFrame(() => {
      void api.inboxPainted().catch(() => {});
      painted = true;
      for (const f of afterPaint.splice(0)) f();
    })
  );
}
