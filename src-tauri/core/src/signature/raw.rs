//! A minimal DER walk to the signer infos exactly as received. The `der` crate sorts SET OF on
//! decoding, so re-encoding signedAttrs may not give the bytes that were signed; the signature is
//! checked over these raw bytes instead.

/// One TLV: its tag byte, the whole encoding and the contents.
struct Tlv<'a> {
    tag: u8,
    whole: &'a [u8],
    content: &'a [u8],
}

/// Reads one definite-length TLV from the front of `input`; None on anything malformed.
fn tlv(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let tag = *input.first()?;
    if tag & 0x1f == 0x1f {
        return None; // multi-byte tags do not occur in CMS
    }
    let first = *input.get(1)? as usize;
    let (len, header) = if first < 0x80 {
        (first, 2)
    } else {
        let n = first & 0x7f;
        if n == 0 || n > 4 {
            return None; // indefinite (BER) or absurd lengths
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *input.get(2 + i)? as usize;
        }
        (len, 2 + n)
    };
    let end = header.checked_add(len)?;
    if end > input.len() {
        return None;
    }
    Some((
        Tlv {
            tag,
            whole: &input[..end],
            content: &input[header..end],
        },
        &input[end..],
    ))
}

fn children(mut content: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    while !content.is_empty() {
        let (t, rest) = tlv(content)?;
        out.push(t);
        content = rest;
    }
    Some(out)
}

/// A signer info as received: its whole encoding and its signedAttrs re-tagged as SET (0x31),
/// which is what the signature covers (RFC 5652 §5.4).
pub(crate) struct RawSigner {
    pub der: Vec<u8>,
    pub signed_attrs_as_set: Option<Vec<u8>>,
}

/// The signer infos of a ContentInfo{SignedData}, in the order they were written.
pub(crate) fn signers(cms: &[u8]) -> Option<Vec<RawSigner>> {
    let (ci, _) = tlv(cms)?;
    let ci_parts = children(ci.content)?;
    let explicit = ci_parts.get(1).filter(|t| t.tag == 0xA0)?;
    let (sd, _) = tlv(explicit.content)?;
    let infos = children(sd.content)?
        .into_iter()
        .rev()
        .find(|t| t.tag == 0x31)?;
    children(infos.content)?
        .into_iter()
        .map(|si| {
            let attrs = children(si.content)?
                .into_iter()
                .nth(3) // after version, sid, digestAlgorithm
                .filter(|t| t.tag == 0xA0)
                .map(|t| {
                    let mut set = t.whole.to_vec();
                    set[0] = 0x31;
                    set
                });
            Some(RawSigner {
                der: si.whole.to_vec(),
                signed_attrs_as_set: attrs,
            })
        })
        .collect()
}

/// The first element of a SEQUENCE exactly as received: the to-be-signed part of a certificate
/// or a CRL (tbsCertificate / tbsCertList), which is what their signature covers.
pub(crate) fn tbs(signed: &[u8]) -> Option<&[u8]> {
    let (outer, _) = tlv(signed)?;
    if outer.tag != 0x30 {
        return None;
    }
    let (first, _) = tlv(outer.content)?;
    (first.tag == 0x30).then_some(first.whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_input_gives_none_not_panic() {
        for bad in [
            &[][..],
            &[0x30],
            &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
            &[0x30, 0x80, 0x00, 0x00],
            &[0x30, 0x03, 0x06, 0x01],
        ] {
            assert!(signers(bad).is_none());
        }
    }
}
