//! How the window's webview is tuned before WebKit starts.
//!
//! The page is drawn without compositing (see `draw_without_compositing`): WebKit paints what
//! changed into one picture of the window, on the CPU, and nothing is drawn with OpenGL. What
//! is painted is painted by Skia on the CPU (see `paint_on_the_cpu`), which also
//! holds when a user turns compositing back on.

/// Called first in main(), before any other thread and before WebKit starts its processes: every
/// setting below, each explained where it is made.
pub fn prepare() {
    draw_without_compositing();
    tune_javascript_heap();
    paint_on_the_cpu();
    interpret_javascript();
    give_back_freed_memory();
}

/// WebKitGTK composites the page's layers with OpenGL by default. Where no GPU driver is (a VM,
/// a remote desktop, Xvfb), that is Mesa's llvmpipe on the CPU: LLVM loaded in the web process
/// as in the app's (~50 MB between them, 8 MB of it LLVM's relocated tables in each), and the
/// layers' tiles, their textures and the compositor's buffers in the web process's heap.
/// Drawing without compositing (`WEBKIT_DISABLE_COMPOSITING_MODE`), the web process paints what
/// changed into the window's one picture on the CPU; Mesa is still loaded but draws nothing
/// (with the first page, the web process's LLVM 17 MB instead of 30, its anonymous memory 13
/// instead of 45; smaps of the same bench). Release bench, 100,000
/// documents, the same hour: the app with its first page 226 MB (PSS) instead of 293–295,
/// after scrolling the whole inbox 252 instead of 329–335, after 20 PDFs 254 instead of
/// 323–324; a screenful of the scroll 3.3 ms instead of 4.8–5.4, no frame over 50 ms either way
/// (the longest while holding PageDown 39 ms); the 50-page PDF's first page 136 ms the first
/// time, 100 ms after.
///
/// WebDriver waits for the page's next paint before it takes a screenshot; drawn this way, a
/// page where nothing changes paints no more, so the window tests make a change first
/// (tests/e2e/window.rs). (Switching WebKit's hardware acceleration policy once the window
/// exists is not the same: the web process had started compositing, and clicks went
/// undelivered.) A value the user set is left as it is: `WEBKIT_DISABLE_COMPOSITING_MODE=0`
/// composites again.
fn draw_without_compositing() {
    unless_set("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
}

/// The JavaScript engine's bytes allocated between two collections in the page (JSC's
/// `largeHeapSize`, which WebKit's web process reads from its environment, inherited from the
/// app's): 8 MB instead of JSC's 32 MB.
const JS_COLLECT_EVERY_BYTES: &str = "8388608";

/// The window's page lives on ~10 MB of JavaScript objects, but scrolling the inbox makes
/// garbage at every frame (rows given new text, pages of rows arriving). JSC, sized for
/// browser tabs, let 32 MB of it pile up before collecting and kept the heap it had grown:
/// after the benchmark's scroll and 1,000 PageDown presses the web process held ~45 MB of
/// JavaScript heap (WebKit's own memory sampler, WEBKIT_SAMPLE_MEMORY) where ~10 MB was live.
/// Collecting every 8 MB keeps it at ~25 MB (the web process ~27 MB smaller in all), and the
/// keyboard's frames stayed under 50 ms. A value the user set is left as it is.
fn tune_javascript_heap() {
    unless_set("JSC_largeHeapSize", JS_COLLECT_EVERY_BYTES);
}

/// WebKitGTK 2.50 paints the composited layers' tiles with Skia on OpenGL by default. Where no
/// GPU driver is (a VM, RDP, Xvfb: Mesa's llvmpipe) that is OpenGL emulated on the CPU, and its
/// textures and Skia's GPU caches stay in the web process: after scrolling the 100,000-row inbox
/// the web process held 287–307 MB (PSS), 200 of it anonymous. Skia's own CPU painting, layers
/// still composited by WebKit, held 249 MB (152 anonymous; release bench, same machine and
/// load), with no slower frames (time per screenful 8.6 ms against 8.8–9.5 ms). Alternated in
/// the same minutes (WEBKIT_SKIA_ENABLE_CPU_RENDERING=0 turns it off): 318 and 313 MB on OpenGL,
/// 250 on the CPU; holding PageDown, 110 and 245 of 1,001 frames over 50 ms on OpenGL, 32 on
/// the CPU. A text list gains nothing from painting on a GPU, so this holds on a machine with
/// one too. A value the user set is left as it is.
fn paint_on_the_cpu() {
    unless_set("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1");
}

/// The page's JavaScript (the window's own code and pdf.js, which reads what senders send) runs
/// in JSC's interpreter, not compiled to machine code. A JIT is where a hostile document's
/// script finds the most engine bugs to exploit, and the code it writes and its compilers' data
/// stay in the web process: with it off, after scrolling the 100,000-row inbox the app and its
/// WebKit processes held 345 MB (PSS) instead of 383–386, and after 20 PDFs 330 instead of 359
/// (release bench, quiet machine, the same hour). The window does little JavaScript of its
/// own; what it costs was measured in the same runs: a screenful of the scroll 5.4 ms instead
/// of 4.6, no frame over 50 ms either way; the 50-page PDF's first page 167 ms the first time
/// and 105 ms after (125 and 42 with the JIT), within the 400 ms aim. A value the user set is
/// left as it is.
fn interpret_javascript() {
    unless_set("JSC_useJIT", "false");
}

/// glibc hands out a large block from its heap once a block that size was freed (its mmap
/// threshold rises up to 32 MB), and a heap gives nothing back while a live block sits above
/// the free ones; each painting and compositing thread had a heap of its own. Painted tiles and
/// the IPC's pages are exactly such blocks, so the web process kept what the scroll had once
/// used. With blocks from 128 KB always mapped apart (returned when freed) and two heaps: after
/// scrolling the inbox 330 and 331 MB (PSS) instead of 345 and 346, after 20 PDFs 324 and 325
/// instead of 330, the app with its first page 293 and 297 instead of 302 (release bench, two
/// runs each, no JIT in both); no frame over 50 ms, the PDF's first page 137 ms. WebKit's
/// processes read the variables at their start; this process has started already, so it is
/// told the same through `mallopt`. A value the user set is left as it is.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    for (var, value, option) in [
        ("MALLOC_MMAP_THRESHOLD_", 128 * 1024, libc::M_MMAP_THRESHOLD),
        ("MALLOC_ARENA_MAX", 2, libc::M_ARENA_MAX),
    ] {
        if unless_set(var, &value.to_string()) {
            // SAFETY: mallopt changes two of the allocator's thresholds, before any other
            // thread exists; it takes plain integers.
            unsafe {
                libc::mallopt(option, value);
            }
        }
    }
}

/// Sets a variable WebKit reads from its environment, unless the user set it; whether it set it.
fn unless_set(var: &str, value: &str) -> bool {
    let unset = std::env::var_os(var).is_none();
    if unset {
        std::env::set_var(var, value);
    }
    unset
}
