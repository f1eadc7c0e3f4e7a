//! Test-only misbehaviour, so clients' tests can see how they cope with a broken signer.
//! Never set in normal use; the CLI flag is `--fault`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Close the connection after reading a request, without a reply.
    CloseMidRequest,
    /// Read requests and never answer them.
    NeverReply,
    /// Answer every request with text that is not JSON.
    NonJson,
    /// Greet with something that is not NCALayer's greeting.
    WrongGreeting,
    /// Send no greeting at all.
    NoGreeting,
}

impl std::str::FromStr for Fault {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "close-mid-request" => Ok(Fault::CloseMidRequest),
            "never-reply" => Ok(Fault::NeverReply),
            "non-json" => Ok(Fault::NonJson),
            "wrong-greeting" => Ok(Fault::WrongGreeting),
            "no-greeting" => Ok(Fault::NoGreeting),
            other => Err(format!(
                "unknown fault {other}: close-mid-request, never-reply, non-json, wrong-greeting, no-greeting"
            )),
        }
    }
}
