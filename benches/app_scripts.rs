//! The scripts the window benchmark (benches/app.rs) runs in the page over WebDriver: each
//! measures in the page's own clock and answers when done (`execute_async`).
// Also built alone as a bench target of its own (cargo finds every benches/*.rs), where
// nothing uses it.
#![allow(dead_code)]

/// Hovers the rows (what a mouse does before it clicks: the page starts loading pdf.js then),
/// waits `arguments[2]` ms, clicks the row of `arguments[0]`, waits for its first page painted,
/// and answers the page's performance marks of that opening relative to the click (click,
/// details, bytes, parsed, painted), then opens the row of `arguments[1]` (leaving the PDF) and
/// waits until the PDF's canvas is gone.
pub const OPEN_PDF_JS: &str = r#"
const done = arguments[arguments.length - 1];
const [big, other, hoverMs] = [arguments[0], arguments[1], arguments[2]];
const rowOf = (n) => [...document.querySelectorAll('.document-row-main')].find((b) => b.textContent.includes(n));
const row = rowOf(big), away = rowOf(other);
if (!row || !away) { done(null); return; }
document.querySelector('.inbox-rows').dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
setTimeout(() => {
  row.click();
  const t0 = performance.now();
  (function painted() {
    if (document.querySelector("canvas[data-painted='1']")) {
      const click = performance.getEntriesByName('qoltanba:open:click').at(-1);
      const at = (s) => {
        const m = performance.getEntriesByName('qoltanba:open:' + s).at(-1);
        return m && click && m.startTime >= click.startTime ? m.startTime - click.startTime : -1;
      };
      const marks = { details: at('details'), bytes: at('bytes'), parsed: at('parsed'), painted: at('painted') };
      away.click();
      (function left() {
        if (!document.querySelector('canvas')) done(marks);
        else requestAnimationFrame(left);
      })();
    } else if (performance.now() - t0 > 30000) done(null);
    else requestAnimationFrame(painted);
  })();
}, hoverMs);
"#;

/// The same bytes in the warmed page, parsed and painted by pdf.js without IPC (the floor).
pub const PDF_FLOOR_JS: &str = r#"
const done = arguments[arguments.length - 1];
const invoke = window.__TAURI_INTERNALS__.invoke;
(async () => {
  // Every call about the company's data names the open company, as the page's calls do.
  const company = (await invoke('company_open')).id;
  const page = await invoke('list_documents', { query: { number: arguments[0], tab: 'all' }, company });
  const bytes = await invoke('document_bytes', { id: page.documents[0].id, company });
  const runs = [];
  for (let i = 0; i < 6; i++) runs.push(await window.__qoltanbaPdfFloor(bytes.slice(0), 1.25));
  done(runs);
})().catch((e) => done(e instanceof Error ? String(e) : JSON.stringify(e)));
"#;

/// Scrolls the whole inbox `arguments[1]` screenfuls a frame (a quick flick of the wheel: every
/// page of 200 rows is still shown several times on the way), waiting on a frame while rows in
/// view are placeholders (their page is being fetched): [ms, screenfuls, frames, frames over
/// 50 ms, longest frame ms, frames spent waiting for rows].
pub const SCROLL_JS: &str = r#"
const done = arguments[arguments.length - 1];
const want = arguments[0], per = arguments[1];
const list = document.querySelector('.virtual-list');
list.scrollTop = 0;
const t0 = performance.now();
let last = t0, frames = 0, over = 0, longest = 0, waits = 0, screens = 0;
(function step(now) {
  if (frames > 0) { const d = now - last; if (d > 50) over++; if (d > longest) longest = d; }
  last = now; frames++;
  const busy = list.querySelector('.virtual-list-placeholder');
  const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 2;
  if (atEnd && !busy && document.getElementById('row-' + (want - 1))) {
    done([performance.now() - t0, screens, frames, over, longest, waits]);
    return;
  }
  if (performance.now() - t0 > 900000) { done([-1, screens, frames, over, longest, waits]); return; }
  if (busy) waits++;
  else { list.scrollTop += per * list.clientHeight; screens += per; }
  requestAnimationFrame(step);
})(performance.now());
"#;

/// Holds PageDown on the list (one press a frame, as a key's auto-repeat) for `arguments[0]`
/// presses from the top: [ms, frames, frames over 50 ms, longest frame ms, the active row].
pub const KEYBOARD_JS: &str = r#"
const done = arguments[arguments.length - 1];
const presses = arguments[0];
const list = document.querySelector('.virtual-list');
list.focus();
const key = (code) => list.dispatchEvent(new KeyboardEvent('keydown', { code, key: code, bubbles: true, cancelable: true }));
key('Home');
let n = 0, frames = 0, over = 0, longest = 0, last = 0;
const t0 = performance.now();
requestAnimationFrame(function step(now) {
  if (frames > 0) { const d = now - last; if (d > 50) over++; if (d > longest) longest = d; }
  last = now; frames++;
  if (n === presses) { done([performance.now() - t0, frames, over, longest, list.getAttribute('aria-activedescendant')]); return; }
  key('PageDown'); n++;
  requestAnimationFrame(step);
});
"#;

/// The frames of the same window doing nothing for `arguments[0]` frames: the floor of the
/// scroll's frames (Xvfb, a software-drawn webview, a shared machine). [frames, over 50 ms,
/// median frame ms].
pub const IDLE_FRAMES_JS: &str = r#"
const done = arguments[arguments.length - 1];
const want = arguments[0];
const gaps = [];
let last = 0;
requestAnimationFrame(function step(now) {
  if (last > 0) gaps.push(now - last);
  last = now;
  if (gaps.length === want) {
    const sorted = gaps.slice().sort((a, b) => a - b);
    done([gaps.length, gaps.filter((g) => g > 50).length, sorted[Math.floor(sorted.length / 2)]]);
  } else requestAnimationFrame(step);
});
"#;
