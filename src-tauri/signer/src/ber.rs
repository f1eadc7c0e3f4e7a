//! BER to DER for the inside of NCA's PKCS#12 files.
//!
//! Kalkan writes the authenticated safe of its PKCS#12 files in BER (indefinite lengths, the
//! encrypted content as a constructed [0] of OCTET STRING chunks), which the strict DER parsers
//! of p12-keystore / `der` refuse ("indefinite length disallowed"). This rewrites such a tree with
//! definite lengths and primitive strings so those crates can do the real work. Which [0] is an
//! IMPLICIT OCTET STRING cannot be told from BER alone; in PKCS#12 it is the one that follows an
//! OID and an AlgorithmIdentifier (EncryptedContentInfo), and that is the only one flattened.

const MAX_DEPTH: usize = 32;

/// Why the bytes are not BER we can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BerError(pub &'static str);

enum Node {
    Primitive(u8, Vec<u8>),
    Constructed(u8, Vec<Node>),
}

/// The DER form of one BER value that fills `input` exactly.
pub fn to_der(input: &[u8]) -> Result<Vec<u8>, BerError> {
    let (node, used) = parse(input, 0)?;
    if used != input.len() {
        return Err(BerError("trailing bytes after the value"));
    }
    let mut out = Vec::with_capacity(input.len());
    encode(&normalise(node), &mut out);
    Ok(out)
}

fn parse(input: &[u8], depth: usize) -> Result<(Node, usize), BerError> {
    if depth > MAX_DEPTH {
        return Err(BerError("nested too deeply"));
    }
    let &tag = input.first().ok_or(BerError("truncated tag"))?;
    if tag & 0x1f == 0x1f {
        return Err(BerError("multi-byte tags do not occur in PKCS#12"));
    }
    let &first = input.get(1).ok_or(BerError("truncated length"))?;
    let mut at = 2;
    let length = match first {
        0x80 => None,
        n if n < 0x80 => Some(n as usize),
        n => {
            let count = (n & 0x7f) as usize;
            if count > 4 {
                return Err(BerError("length too large"));
            }
            let bytes = input
                .get(at..at + count)
                .ok_or(BerError("truncated length"))?;
            at += count;
            Some(bytes.iter().fold(0usize, |acc, b| (acc << 8) | *b as usize))
        }
    };
    let constructed = tag & 0x20 != 0;
    match (constructed, length) {
        (false, None) => Err(BerError("indefinite length on a primitive value")),
        (false, Some(len)) => {
            let content = input
                .get(at..at + len)
                .ok_or(BerError("truncated content"))?;
            Ok((Node::Primitive(tag, content.to_vec()), at + len))
        }
        (true, Some(len)) => {
            let content = input
                .get(at..at + len)
                .ok_or(BerError("truncated content"))?;
            let mut children = Vec::new();
            let mut pos = 0;
            while pos < content.len() {
                let (child, used) = parse(&content[pos..], depth + 1)?;
                children.push(child);
                pos += used;
            }
            Ok((Node::Constructed(tag, children), at + len))
        }
        (true, None) => {
            let mut children = Vec::new();
            loop {
                let rest = input.get(at..).ok_or(BerError("truncated content"))?;
                if rest.starts_with(&[0, 0]) {
                    return Ok((Node::Constructed(tag, children), at + 2));
                }
                if rest.is_empty() {
                    return Err(BerError("missing end-of-contents"));
                }
                let (child, used) = parse(rest, depth + 1)?;
                children.push(child);
                at += used;
            }
        }
    }
}

const OCTET_STRING: u8 = 0x04;
const CONSTRUCTED_OCTET_STRING: u8 = 0x24;
const OID: u8 = 0x06;
const SEQUENCE: u8 = 0x30;
const CONTEXT_0_CONSTRUCTED: u8 = 0xa0;
const CONTEXT_0_PRIMITIVE: u8 = 0x80;

/// The concatenated contents of a string given in chunks, if every chunk is an OCTET STRING.
fn octets(children: &[Node]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for child in children {
        match child {
            Node::Primitive(OCTET_STRING, bytes) => out.extend_from_slice(bytes),
            Node::Constructed(CONSTRUCTED_OCTET_STRING, inner) => out.extend(octets(inner)?),
            _ => return None,
        }
    }
    Some(out)
}

fn normalise(node: Node) -> Node {
    match node {
        Node::Primitive(..) => node,
        Node::Constructed(CONSTRUCTED_OCTET_STRING, children) => match octets(&children) {
            Some(bytes) => Node::Primitive(OCTET_STRING, bytes),
            None => Node::Constructed(
                CONSTRUCTED_OCTET_STRING,
                children.into_iter().map(normalise).collect(),
            ),
        },
        Node::Constructed(SEQUENCE, children) => {
            // EncryptedContentInfo: SEQUENCE { OID, AlgorithmIdentifier, [0] IMPLICIT OCTET STRING }.
            let implicit_octets = children.len() == 3
                && matches!(children[0], Node::Primitive(OID, _))
                && matches!(children[1], Node::Constructed(SEQUENCE, _));
            let children = children
                .into_iter()
                .enumerate()
                .map(|(i, child)| match child {
                    Node::Constructed(CONTEXT_0_CONSTRUCTED, inner)
                        if implicit_octets && i == 2 =>
                    {
                        match octets(&inner) {
                            Some(bytes) => Node::Primitive(CONTEXT_0_PRIMITIVE, bytes),
                            None => normalise(Node::Constructed(CONTEXT_0_CONSTRUCTED, inner)),
                        }
                    }
                    child => normalise(child),
                })
                .collect();
            Node::Constructed(SEQUENCE, children)
        }
        Node::Constructed(tag, children) => {
            Node::Constructed(tag, children.into_iter().map(normalise).collect())
        }
    }
}

fn encode(node: &Node, out: &mut Vec<u8>) {
    let (tag, content) = match node {
        Node::Primitive(tag, bytes) => (*tag, bytes.clone()),
        Node::Constructed(tag, children) => {
            let mut content = Vec::new();
            for child in children {
                encode(child, &mut content);
            }
            (*tag, content)
        }
    };
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(&content);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indefinite_lengths_and_chunked_strings_become_der() {
        // SEQUENCE (indefinite) { OCTET STRING chunks "ab" "c" (constructed, indefinite) }
        let ber = [
            0x30, 0x80, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0, 0, 0, 0,
        ];
        assert_eq!(
            to_der(&ber).unwrap(),
            [0x30, 0x05, 0x04, 0x03, b'a', b'b', b'c']
        );
    }

    #[test]
    fn only_the_encrypted_content_is_treated_as_implicit() {
        // EncryptedContentInfo { OID, SEQUENCE {}, [0] { OCTET STRING "x" } } → [0] primitive.
        let eci = [
            0x30, 0x80, 0x06, 0x01, 0x2a, 0x30, 0x00, 0xa0, 0x80, 0x04, 0x01, b'x', 0, 0, 0, 0,
        ];
        assert_eq!(
            to_der(&eci).unwrap(),
            [0x30, 0x08, 0x06, 0x01, 0x2a, 0x30, 0x00, 0x80, 0x01, b'x']
        );
        // ContentInfo { OID, [0] EXPLICIT OCTET STRING "x" } keeps its explicit tag.
        let ci = [
            0x30, 0x80, 0x06, 0x01, 0x2a, 0xa0, 0x80, 0x04, 0x01, b'x', 0, 0, 0, 0,
        ];
        assert_eq!(
            to_der(&ci).unwrap(),
            [0x30, 0x08, 0x06, 0x01, 0x2a, 0xa0, 0x03, 0x04, 0x01, b'x']
        );
    }

    #[test]
    fn truncated_and_malformed_input_is_refused() {
        for bad in [
            &[0x30, 0x80, 0x04, 0x01, b'a'][..],
            &[0x30, 0x05, 0x04],
            &[0x04, 0x80],
            &[],
        ] {
            assert!(to_der(bad).is_err(), "{bad:?}");
        }
        let mut deep = [0x30, 0x80].repeat(40);
        deep.extend([0, 0].repeat(40));
        assert!(to_der(&deep).is_err());
    }
}
