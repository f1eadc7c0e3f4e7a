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
}

impl std::str::FromStr for Confirm {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "tty" => Ok(Confirm::Tty),
            "auto" => Ok(Confirm::Auto),
            "cancel" => Ok(Confirm::Cancel),
            other => Err(format!("--confirm takes tty, auto or cancel, not {other}")),
        }
    }
}

/// One prompt at a time, whichever connection asks.
static TERMINAL: Mutex<()> = Mutex::const_new(());

impl Confirm {
    /// True when the request described by `question` may go ahead.
    pub async fn approve(self, question: &str) -> bool {
        match self {
            Confirm::Auto => true,
            Confirm::Cancel => false,
            Confirm::Tty => {
                let _turn = TERMINAL.lock().await;
                let question = question.to_string();
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
