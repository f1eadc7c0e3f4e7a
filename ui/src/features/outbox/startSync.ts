// The sync the window runs once when it opens: claimed by the first inbox shown, so switching
// screens (which remounts the inbox) does not sync again.
let claimed = false;

export const startSync = {
  claim(): boolean {
    if (claimed) return false;
    claimed = true;
    return true;
  },
  /** For tests, which mount the window many times in one module instance. */
  reset(): void {
    claimed = false;
  }
};
