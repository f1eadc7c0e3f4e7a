//! Who approves each signing request: NCALayer shows a dialog; here it is a terminal prompt, an
//! automatic yes (tests, demos) or an automatic cancel (tests of the cancel path).

use std::io::{BufRead, Write};

use tokio::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// Ask y/n on this process' terminal (stderr + stdin).
    Tty,
    /// Approve every request.
    Auto,
    /// Refuse every request, as if the user pressed Cancel.
    Cancel,
    /// Never answer, as if the user left NCALayer's PIN dialog open (tests of a client that
    /// must stay usable meanwhile); the request ends when its connection closes.
    Hold,
}

impl std::str::FromStr for Confirm {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "tty" => Ok(Confirm::Tty),
            "auto" => Ok(Confirm::Auto),
            "cancel" => Ok(Confirm::Cancel),
            "hold" => Ok(Confirm::Hold),
            other => Err(format!(
                "--confirm takes tty, auto, cancel or hold, not {other}"
            )),
        }
    }
}

/// Who opened the connection that asks: a web page names itself in the `Origin` header of the
/// WebSocket handshake (a browser always sends it); a program on this computer (the Qoltanba
/// CLI, the core's client) sends none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Program,
    Page(String),
}

impl std::fmt::Display for Caller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Caller::Program => f.write_str("a program on this computer (no Origin header)"),
            // The origin is the caller's own text: shown escaped, so it cannot move the cursor
            // or rewrite the prompt on the terminal.
            Caller::Page(origin) => write!(f, "the web page {}", printable(origin)),
        }
    }
}

/// The prompt for one request: who asks, what (how many items and the SHA-256 of each, to
/// compare with what the asking program shows) and with which key.
pub fn question(caller: &Caller, action: &str, items: &[&[u8]], key: &str) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write as _;
    let mut q = format!("{caller} asks: {action}, {} item(s)", items.len());
    for (i, item) in items.iter().enumerate() {
        let _ = write!(
            q,
            "\n  {:>3}. sha256 {} ({} bytes)",
            i + 1,
            hex::encode(Sha256::digest(item)),
            item.len()
        );
    }
    let _ = write!(q, "\nwith the key of {}. Approve?", printable(key));
    q
}

/// Text from outside as it may reach the terminal: control characters (escape sequences) and
/// direction overrides (which reorder what is shown) become U+FFFD.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            c if c.is_control() => '\u{FFFD}',
            '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                '\u{FFFD}'
            }
            c => c,
        })
        .collect()
}

/// One prompt at a time, whichever connection asks.
static TERMINAL: Mutex<()> = Mutex::const_new(());

impl Confirm {
    /// True when the request described by `question` may go ahead. The question is made only
    /// when someone reads it (it hashes every document).
    pub async fn approve(self, question: impl FnOnce() -> String) -> bool {
        match self {
            Confirm::Auto => true,
            Confirm::Cancel => false,
            Confirm::Hold => std::future::pending().await,
            Confirm::Tty => {
                let _turn = TERMINAL.lock().await;
                let question = question();
                tokio::task::spawn_blocking(move || ask(&question))
                    .await
                    .unwrap_or(false)
            }
        }
    }
}

fn ask(question: &str) -> bool {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{question} [y/N] ");
    let _ = err.flush();
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => false, // no terminal: nobody approved
        Ok(_) => matches!(line.trim(), "y" | "Y" | "yes" | "д" | "да" | "иә"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_question_names_the_caller_each_item_and_the_key() {
        let q = question(
            &Caller::Page("https://evil.example\u{1b}[2J".into()),
            "Sign CMS",
            &[b"one", b"two"],
            "ТЕСТОВ ТЕСТ (IIN 123456789011)",
        );
        assert!(
            q.starts_with("the web page https://evil.example\u{FFFD}[2J asks: Sign CMS, 2 item(s)"),
            "{q}"
        );
        // SHA-256("one"), as `printf one | sha256sum` gives it.
        assert!(
            q.contains(
                "sha256 7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed (3 bytes)"
            ),
            "{q}"
        );
        assert!(q.contains("2. sha256 "), "{q}");
        assert!(
            q.ends_with("with the key of ТЕСТОВ ТЕСТ (IIN 123456789011). Approve?"),
            "{q}"
        );
        assert!(!q.contains('\u{1b}'));
        assert!(question(&Caller::Program, "x", &[], "k").starts_with("a program on this computer"));
    }
}
