//! The real app binary in a real window, driven over WebDriver: tauri-driver in front of
//! WebKitGTK's WebKitWebDriver, fantoccini as the client.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::xvfb::Display;

/// How long a step may take before the test fails (a debug build on a busy 2-core machine).
pub const PATIENCE: Duration = Duration::from_secs(30);

/// How long one WebDriver command may go unanswered. WebKitWebDriver answers commands one at a
/// time, so one that never returns stalls the whole test run: it fails the test instead, saying
/// which command it was.
const ANSWER: Duration = Duration::from_secs(60);

/// Awaits a WebDriver command, failing the test when the window does not answer it in time.
pub async fn answered<T>(what: &str, command: impl std::future::Future<Output = T>) -> T {
    match tokio::time::timeout(ANSWER, command).await {
        Ok(answer) => answer,
        Err(_) => panic!("the window did not answer {what} within {ANSWER:?}"),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// tauri-driver from PATH or cargo's bin folder (`cargo install tauri-driver --locked`).
fn tauri_driver() -> PathBuf {
    let from_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("tauri-driver"))
            .find(|p| p.exists())
    });
    let from_cargo = std::env::var_os("HOME")
        .map(|h| Path::new(&h).join(".cargo/bin/tauri-driver"))
        .filter(|p| p.exists());
    from_path.or(from_cargo).expect(
        "tauri-driver is installed (cargo install tauri-driver --locked; ./dev.sh test does it)",
    )
}

pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    pub fn start(display: &Display) -> Driver {
        Driver::start_in(display, Path::new("."))
    }

    /// The driver, and so the app it starts, working in `dir` (where GTK's "Print to File"
    /// writes its output.pdf).
    pub fn start_in(display: &Display, dir: &Path) -> Driver {
        assert!(
            Path::new("/usr/bin/WebKitWebDriver").exists(),
            "WebKitWebDriver is installed (Debian package webkit2gtk-driver)"
        );
        let port = free_port();
        let child = Command::new(tauri_driver())
            .args(["--port", &port.to_string()])
            .args(["--native-port", &free_port().to_string()])
            .env("DISPLAY", &display.name)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let driver = Driver { child, port };
        let deadline = Instant::now() + PATIENCE;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One window of the app; close it with `close()` (WebKitWebDriver serves one session at a time).
pub struct Window {
    pub client: Client,
    shots: PathBuf,
}

/// Where screenshots go: QOLTANBA_SCREENSHOTS (./dev.sh screenshots sets docs/screenshots),
/// else target/e2e-screenshots.
fn screenshot_dir() -> PathBuf {
    std::env::var_os("QOLTANBA_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-screenshots"))
}

impl Window {
    /// Starts `qoltanba ARGS…` through the driver and waits for the page.
    pub async fn open(driver: &Driver, args: &[String]) -> Window {
        let caps = serde_json::json!({
            "tauri:options": {
                "application": env!("CARGO_BIN_EXE_qoltanba"),
                "args": args,
            }
        });
        let caps = caps.as_object().unwrap().clone();
        // tauri-driver listens before the WebKitWebDriver behind it does: the first session
        // request can find no one there yet.
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            let made =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(caps.clone())
                    .connect(&format!("http://127.0.0.1:{}", driver.port))
                    .await;
            match made {
                Ok(c) => break c,
                Err(e) if attempt < 10 => {
                    eprintln!("session not started yet ({e}); trying again");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("the app starts under tauri-driver: {e}"),
            }
        };
        let shots = screenshot_dir();
        std::fs::create_dir_all(&shots).unwrap();
        Window { client, shots }
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }

    /// The first element matching an XPath, waiting until it appears.
    pub async fn find(&self, xpath: &str) -> Element {
        let wait = self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(xpath));
        match answered(&format!("the search for {xpath}"), wait).await {
            Ok(e) => e,
            Err(e) => {
                // What the window showed instead, for whoever reads the failure.
                let shot = self.shots.join("failure.png");
                let shot_taken = tokio::time::timeout(ANSWER, self.client.screenshot()).await;
                if let Ok(Ok(png)) = shot_taken {
                    let _ = std::fs::write(&shot, png);
                }
                panic!(
                    "{xpath} did not appear ({e}); the window: {}",
                    shot.display()
                )
            }
        }
    }

    /// Waits until some element with exactly this text (after trimming) is shown.
    pub async fn text(&self, text: &str) -> Element {
        self.find(&format!("//*[normalize-space(text())={}]", literal(text)))
            .await
    }

    /// Waits until some element's text contains this.
    pub async fn containing(&self, text: &str) -> Element {
        self.find(&format!(
            "//*[contains(normalize-space(.), {})][not(*[contains(normalize-space(.), {0})])]",
            literal(text)
        ))
        .await
    }

    /// Clicks the button whose text is exactly this (the last one, which is a dialog's when a
    /// dialog is open over the page).
    pub async fn button(&self, text: &str) {
        let xpath = format!(
            "(//button[normalize-space(.)={}][not(@disabled)])[last()]",
            literal(text)
        );
        self.click(&xpath).await;
    }

    /// Clicks the element at this XPath. The list re-renders when data arrives (a sync, new
    /// counts), which can replace the node between finding and clicking it: find it again then.
    pub async fn click(&self, xpath: &str) {
        for _ in 0..5 {
            let element = self.find(xpath).await;
            match answered(&format!("a click on {xpath}"), element.click()).await {
                Ok(()) => return,
                Err(fantoccini::error::CmdError::Standard(e))
                    if e.error == fantoccini::error::ErrorStatus::StaleElementReference =>
                {
                    tokio::time::sleep(Duration::from_millis(200)).await
                }
                Err(e) => panic!("clicking {xpath}: {e}"),
            }
        }
        panic!("{xpath} kept being replaced while clicking it");
    }

    /// Opens the inbox row that shows this document number.
    pub async fn open_row(&self, number: &str) {
        let xpath = format!(
            "//div[@class='document-row'][.//*[contains(., {})]]//button[contains(@class,'document-row-main')]",
            literal(&format!("№ {number} ·"))
        );
        // The document view shows the number once it is open.
        let opened = format!(
            "//section[contains(@class,'inbox-document')]//*[contains(., {})]",
            literal(number)
        );
        // A click can land while the windowed list draws its rows anew (a page arriving): it is
        // given again, a few times, before the wait that fails the test.
        for _ in 0..3 {
            self.click(&xpath).await;
            for _ in 0..25 {
                if self.is_shown(&opened).await {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
        self.find(&opened).await;
    }

    /// Scrolls the element at `xpath` into the middle of the view. The page may draw it anew
    /// between finding and scrolling (the history arrives after the file): then it is found again.
    pub async fn scroll_to(&self, xpath: &str) {
        for _ in 0..20 {
            let element = self.find(xpath).await;
            let arg = serde_json::to_value(&element).unwrap();
            let scroll = self
                .client
                .execute("arguments[0].scrollIntoView({block: 'center'})", vec![arg]);
            match answered(&format!("scrolling to {xpath}"), scroll).await {
                Ok(_) => return,
                Err(e)
                    if e.to_string().contains("not found")
                        || format!("{e:?}").contains("StaleElement") =>
                {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("scrolling to {xpath}: {e}"),
            }
        }
        panic!("{xpath} kept being drawn anew: it could not be scrolled to");
    }

    /// Whether some element at this XPath is in the window now. A WebDriver error is not "not
    /// shown": it stops the test, so a negative check cannot pass on a broken session.
    pub async fn is_shown(&self, xpath: &str) -> bool {
        match answered(
            &format!("the search for {xpath}"),
            self.client.find_all(Locator::XPath(xpath)),
        )
        .await
        {
            Ok(found) => !found.is_empty(),
            Err(e) => panic!("looking for {xpath}: {e}"),
        }
    }

    /// Saves a screenshot of the window as NAME.png (a short pause first, so the frame after the
    /// last change is the one captured).
    pub async fn screenshot(&self, name: &str) {
        tokio::time::sleep(Duration::from_millis(600)).await;
        // WebKitWebDriver takes the screenshot after the page's next paint. The webview draws
        // without compositing (src-tauri/webview.rs), where a page with nothing changing paints
        // no more and the screenshot would wait for ever: a pixel-sized, all but transparent
        // mark in the corner changes for two seconds, so there is a next paint.
        answered(
            &format!("the paint before the screenshot {name}"),
            self.client.execute(NEXT_PAINT_JS, vec![]),
        )
        .await
        .unwrap();
        let png = answered(&format!("the screenshot {name}"), self.client.screenshot())
            .await
            .unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }
}

/// See `Window::screenshot`.
const NEXT_PAINT_JS: &str = "const m = document.createElement('div'); \
    m.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;background:#000;opacity:0'; \
    document.body.append(m); let n = 0; \
    const t = setInterval(() => { m.style.opacity = n++ % 2 ? '0' : '0.01'; \
      if (n > 40) { clearInterval(t); m.remove(); } }, 50);";

/// An XPath string literal for any text (XPath 1.0 has no escapes: split on single quotes).
pub fn literal(s: &str) -> String {
    if !s.contains('\'') {
        return format!("'{s}'");
    }
    let parts: Vec<String> = s.split('\'').map(|p| format!("'{p}'")).collect();
    format!("concat({})", parts.join(", \"'\", "))
}
