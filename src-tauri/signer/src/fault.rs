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
    /// Answer normally but with one bit of every signature value flipped (CMS and XML), so a
    /// client's own check must refuse what comes back.
    TamperSignature,
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
            "tamper-signature" => Ok(Fault::TamperSignature),
            other => Err(format!(
                "unknown fault {other}: close-mid-request, never-reply, non-json, wrong-greeting, no-greeting, tamper-signature"
            )),
        }
    }
}

/// The reply with one bit flipped in the signature value of every CMS (PEM from basics, base64
/// DER from commonUtils) and every signed XML in it. The CMS signature value is the last field
/// of the SignerInfo we write, so its last byte is flipped.
pub fn tamper(reply: &str) -> String {
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(reply) else {
        return reply.to_string();
    };
    walk(&mut value);
    value.to_string()
}

fn walk(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => {
            if let Some(t) = tampered(s) {
                *s = t;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
        serde_json::Value::Object(map) => map.values_mut().for_each(walk),
        _ => {}
    }
}

fn tampered(text: &str) -> Option<String> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    const OPEN: &str = "<ds:SignatureValue>";
    if let (Some(start), Some(end)) = (text.find(OPEN), text.find("</ds:SignatureValue>")) {
        let start = start + OPEN.len();
        let mut sig = b64.decode(&text[start..end]).ok()?;
        *sig.first_mut()? ^= 0x01;
        return Some(format!(
            "{}{}{}",
            &text[..start],
            b64.encode(sig),
            &text[end..]
        ));
    }
    let pem = text.starts_with("-----BEGIN CMS-----");
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    let mut der = b64.decode(body.trim()).ok()?;
    // Only a SignedData ContentInfo (SEQUENCE ... OID 1.2.840.113549.1.7.2).
    const SIGNED_DATA: [u8; 11] = [
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
    ];
    if der.first() != Some(&0x30) || !der.windows(11).take(8).any(|w| w == SIGNED_DATA) {
        return None;
    }
    *der.last_mut()? ^= 0x01;
    Some(if pem {
        crate::cms::pem(&der)
    } else {
        b64.encode(der)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_signature_values_change() {
        let xml = r#"{"code":"200","responseObject":"<a><ds:SignatureValue>AAAA</ds:SignatureValue></a>"}"#;
        let out: serde_json::Value = serde_json::from_str(&tamper(xml)).unwrap();
        assert_eq!(
            out["responseObject"],
            "<a><ds:SignatureValue>AQAA</ds:SignatureValue></a>"
        );
        let plain = r#"{"code":"200","responseObject":{"alias":"abcd","algorithm":"RSA"}}"#;
        let same: serde_json::Value = serde_json::from_str(&tamper(plain)).unwrap();
        assert_eq!(
            same,
            serde_json::from_str::<serde_json::Value>(plain).unwrap()
        );
    }
}
