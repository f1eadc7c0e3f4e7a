// The sync the window runs once when it opens, and once for each other company opened in it:
// claimed by the first inbox shown of that company, so switching screens (which remounts the
// inbox) does not sync again.
const claimed = new Set<string>();

export const startSync = {
  claim(company: string): boolean {
    if (claimed.has(company)) return false;
    claimed.add(company);
    return true;
  },
  /** For tests, which mount the window many times in one module instance. */
  reset(): void {
    claimed.clear();
  }
};
