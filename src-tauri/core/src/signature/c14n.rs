//! A copy of qoltanba-signer's c14n.rs (the signer does not depend on core, nor core on the
//! signer), with comments kept on request for the `#WithComments` transform.
//!
//! Inclusive Canonical XML 1.0 (<http://www.w3.org/TR/2001/REC-xml-c14n-20010315>, without
//! comments) for what an enveloped signature needs: a whole document, or a fragment (our own
//! SignedInfo) with the namespaces and xml:* attributes it inherits.
//!
//! No well-kept pure-Rust crate does inclusive C14N 1.0; this one is small, parses with
//! quick-xml and is checked against xmlsec1 in the tests. DOCTYPE is refused (no entity
//! expansion, no default attributes from a DTD), as the import code does.

use std::collections::BTreeMap;

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::{Error, Result};

pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// What a fragment inherits from the elements around it.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// prefix ("" = default) → namespace URI, as in scope at the fragment's parent.
    pub namespaces: BTreeMap<String, String>,
    /// xml:lang, xml:space... of the ancestors, inherited by the apex element.
    pub xml_attributes: Vec<(String, String)>,
    /// Keep comments (the `#WithComments` variant).
    pub comments: bool,
}

/// The canonical form and where the root element ends, for inserting a signature.
#[derive(Debug, Clone)]
#[allow(dead_code)] // the root's end and context serve the signer's insertion, kept for parity
pub struct Canonical {
    pub text: String,
    /// The namespaces and xml:* attributes in scope on the root element.
    pub root_context: Context,
    /// Byte offset in the (line-end-normalised) input of the root's `</...>`, or of the `/>` of
    /// a self-closing root.
    pub root_end: usize,
    pub root_self_closing: bool,
}

/// XML's line-end normalisation (CRLF and lone CR → LF) and a leading BOM dropped: the parser's
/// view of the text, which offsets in [`Canonical`] refer to.
pub fn normalise_line_ends(xml: &str) -> String {
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    xml.replace("\r\n", "\n").replace('\r', "\n")
}

struct Frame {
    name: String,
    scope: BTreeMap<String, String>,
    rendered: BTreeMap<String, String>,
}

/// Canonicalises `xml` (already line-end-normalised) as the child of a context.
pub fn canonicalize(xml: &str, context: &Context) -> Result<Canonical> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut out = String::with_capacity(xml.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut root_done = false;
    let mut root_context = Context::default();
    let mut root_end = 0usize;
    let mut root_self_closing = false;
    let fail = |pos: u64, message: &str| xml_error(xml, pos as usize, message);

    loop {
        let before = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => return Err(fail(reader.error_position(), &e.to_string())),
        };
        let after = reader.buffer_position();
        match event {
            Event::Decl(_) => {}
            Event::Comment(_) if !context.comments => {}
            Event::Comment(c) => {
                let rendered = format!("<!--{}-->", String::from_utf8_lossy(&c));
                if stack.is_empty() && root_done {
                    out.push('\n');
                    out.push_str(&rendered);
                } else if stack.is_empty() {
                    out.push_str(&rendered);
                    out.push('\n');
                } else {
                    out.push_str(&rendered);
                }
            }
            Event::DocType(_) => {
                return Err(fail(
                    before,
                    "DOCTYPE is disallowed in documents to be signed.",
                ))
            }
            Event::PI(pi) => {
                let raw = String::from_utf8_lossy(&pi).into_owned();
                let rendered = render_pi(&raw);
                if stack.is_empty() && root_done {
                    out.push('\n');
                    out.push_str(&rendered);
                } else if stack.is_empty() {
                    out.push_str(&rendered);
                    out.push('\n');
                } else {
                    out.push_str(&rendered);
                }
            }
            Event::Text(t) => {
                let raw = std::str::from_utf8(&t).map_err(|e| fail(before, &e.to_string()))?;
                if stack.is_empty() {
                    if !raw.chars().all(|c| matches!(c, ' ' | '\t' | '\n')) {
                        let where_ = if root_done {
                            "trailing section"
                        } else {
                            "prolog"
                        };
                        return Err(fail(
                            before,
                            &format!("Content is not allowed in {where_}."),
                        ));
                    }
                } else {
                    let text = unescape(raw).map_err(|m| fail(before, &m))?;
                    escape_text(&text, &mut out);
                }
            }
            Event::GeneralRef(r) => {
                if stack.is_empty() {
                    return Err(fail(before, "Content is not allowed in prolog."));
                }
                let raw = format!("&{};", String::from_utf8_lossy(&r));
                let text = unescape(&raw).map_err(|m| fail(before, &m))?;
                escape_text(&text, &mut out);
            }
            Event::CData(c) => {
                if stack.is_empty() {
                    return Err(fail(before, "Content is not allowed in prolog."));
                }
                escape_text(&String::from_utf8_lossy(&c), &mut out);
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                if stack.is_empty() && root_done {
                    return Err(fail(
                        before,
                        "The markup in the document following the root element must be well-formed.",
                    ));
                }
                let empty = matches!(event, Event::Empty(_));
                let (parent_scope, parent_rendered) = match stack.last() {
                    Some(f) => (f.scope.clone(), f.rendered.clone()),
                    None => (context.namespaces.clone(), BTreeMap::new()),
                };
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let mut declared: BTreeMap<String, String> = BTreeMap::new();
                let mut plain: Vec<(String, String)> = Vec::new();
                for attr in e.attributes() {
                    let attr = attr.map_err(|err| fail(before, &err.to_string()))?;
                    let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
                    let raw = std::str::from_utf8(&attr.value)
                        .map_err(|err| fail(before, &err.to_string()))?;
                    // Attribute-value normalisation: literal whitespace becomes a space.
                    let spaced = raw.replace(['\t', '\n'], " ");
                    let value = unescape(&spaced).map_err(|m| fail(before, &m))?;
                    if key == "xmlns" {
                        declared.insert(String::new(), value);
                    } else if let Some(prefix) = key.strip_prefix("xmlns:") {
                        declared.insert(prefix.to_string(), value);
                    } else {
                        plain.push((key, value));
                    }
                }
                let mut scope = parent_scope.clone();
                for (p, v) in &declared {
                    if v.is_empty() && p.is_empty() {
                        scope.remove("");
                    } else {
                        scope.insert(p.clone(), v.clone());
                    }
                }
                check_prefix(&name, &scope).map_err(|m| fail(before, &m))?;

                // The apex of a fragment inherits the xml:* attributes of its ancestors.
                if stack.is_empty() {
                    for (k, v) in &context.xml_attributes {
                        if !plain.iter().any(|(pk, _)| pk == k) {
                            plain.push((k.clone(), v.clone()));
                        }
                    }
                }
                let mut sorted = Vec::with_capacity(plain.len());
                for (k, v) in plain {
                    let uri = attribute_namespace(&k, &scope).map_err(|m| fail(before, &m))?;
                    let local = k.split_once(':').map_or(k.as_str(), |(_, l)| l).to_string();
                    sorted.push((uri, local, k, v));
                }
                sorted.sort();

                out.push('<');
                out.push_str(&name);
                let mut rendered = parent_rendered.clone();
                for (prefix, uri) in &scope {
                    if prefix == "xml" {
                        continue;
                    }
                    if parent_rendered.get(prefix) != Some(uri) {
                        render_ns(prefix, uri, &mut out);
                        rendered.insert(prefix.clone(), uri.clone());
                    }
                }
                // xmlns="" only undoes a default namespace that was output above.
                if !scope.contains_key("") && parent_rendered.get("").is_some_and(|d| !d.is_empty())
                {
                    out.push_str(" xmlns=\"\"");
                    rendered.remove("");
                }
                for (_, _, qname, value) in &sorted {
                    out.push(' ');
                    out.push_str(qname);
                    out.push_str("=\"");
                    escape_attribute(value, &mut out);
                    out.push('"');
                }
                out.push('>');

                if stack.is_empty() {
                    root_context = Context {
                        namespaces: scope.clone(),
                        xml_attributes: sorted
                            .iter()
                            .filter(|(uri, ..)| uri == XML_NS)
                            .map(|(_, _, k, v)| (k.clone(), v.clone()))
                            .collect(),
                        comments: context.comments,
                    };
                }
                if empty {
                    out.push_str("</");
                    out.push_str(&name);
                    out.push('>');
                    if stack.is_empty() {
                        root_done = true;
                        root_self_closing = true;
                        root_end = after as usize - 2;
                    }
                } else {
                    stack.push(Frame {
                        name,
                        scope,
                        rendered,
                    });
                }
            }
            Event::End(_) => {
                let frame = stack
                    .pop()
                    .ok_or_else(|| fail(before, "Unexpected end tag."))?;
                out.push_str("</");
                out.push_str(&frame.name);
                out.push('>');
                if stack.is_empty() {
                    root_done = true;
                    root_end = before as usize;
                }
            }
            Event::Eof => {
                if !stack.is_empty() {
                    return Err(fail(
                        after,
                        "XML document structures must start and end within the same entity.",
                    ));
                }
                if !root_done {
                    return Err(fail(after, "Premature end of file."));
                }
                break;
            }
        }
    }
    Ok(Canonical {
        text: out,
        root_context,
        root_end,
        root_self_closing,
    })
}

fn check_prefix(qname: &str, scope: &BTreeMap<String, String>) -> std::result::Result<(), String> {
    match qname.split_once(':') {
        Some(("xml", _)) | None => Ok(()),
        Some((prefix, _)) if scope.contains_key(prefix) => Ok(()),
        Some((prefix, _)) => Err(format!(
            "The prefix \"{prefix}\" for element \"{qname}\" is not bound."
        )),
    }
}

fn attribute_namespace(
    qname: &str,
    scope: &BTreeMap<String, String>,
) -> std::result::Result<String, String> {
    match qname.split_once(':') {
        None => Ok(String::new()),
        Some(("xml", _)) => Ok(XML_NS.to_string()),
        Some((prefix, _)) => scope.get(prefix).cloned().ok_or_else(|| {
            format!("The prefix \"{prefix}\" for attribute \"{qname}\" is not bound.")
        }),
    }
}

fn render_ns(prefix: &str, uri: &str, out: &mut String) {
    if prefix.is_empty() {
        out.push_str(" xmlns=\"");
    } else {
        out.push_str(" xmlns:");
        out.push_str(prefix);
        out.push_str("=\"");
    }
    escape_attribute(uri, out);
    out.push('"');
}

fn render_pi(raw: &str) -> String {
    match raw.split_once(|c: char| c.is_ascii_whitespace()) {
        Some((target, data)) if !data.trim_start().is_empty() => {
            format!("<?{target} {}?>", data.trim_start())
        }
        Some((target, _)) => format!("<?{target}?>"),
        None => format!("<?{raw}?>"),
    }
}

/// Replaces the five predefined entities and character references; any other entity is an
/// error, as there is no DTD to declare it.
pub fn unescape(raw: &str) -> std::result::Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let end = tail
            .find(';')
            .ok_or("The entity name must immediately follow the '&' in the entity reference.")?;
        let name = &tail[..end];
        let ch = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "apos" => '\'',
            "quot" => '"',
            _ => {
                let code = if let Some(hex) = name.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    return Err(format!(
                        "The entity \"{name}\" was referenced, but not declared."
                    ));
                };
                code.and_then(char::from_u32)
                    .ok_or_else(|| format!("Invalid character reference &{name};"))?
            }
        };
        out.push(ch);
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
}

fn escape_attribute(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
}

/// A parse error with 1-based line and column, like Java's SAXParseException.
fn xml_error(xml: &str, offset: usize, message: &str) -> Error {
    let offset = offset.min(xml.len());
    let before = &xml.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Error::invalid(format!("XML: строка {line}, позиция {column}: {message}"))
}
