//! Inclusive Canonical XML 1.0 (<http://www.w3.org/TR/2001/REC-xml-c14n-20010315>, without
//! comments) for what an enveloped signature needs: a whole document, or a fragment (our own
//! SignedInfo) with the namespaces and xml:* attributes it inherits.
//!
//! No well-kept pure-Rust crate does inclusive C14N 1.0; this one is small, parses with
//! quick-xml and is checked against xmlsec1 in the tests. DOCTYPE is refused (no entity
//! expansion, no default attributes from a DTD), as the import code does. Comments are kept on
//! request, for the `#WithComments` transform. The signer signs and the core verifies with this
//! one implementation, so the two cannot drift apart.

use std::collections::BTreeMap;

use quick_xml::events::Event;
use quick_xml::Reader;

/// Not well-formed XML, with a 1-based line and column like a SAX parser's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("XML: строка {line}, позиция {column}: {message}")]
pub struct XmlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

pub type Result<T> = std::result::Result<T, XmlError>;

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
                let rendered = format!("<!--{}-->", &*c);
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
                let rendered = render_pi(&pi);
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
                let raw: &str = &t;
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
                let raw = format!("&{};", &*r);
                let text = unescape(&raw).map_err(|m| fail(before, &m))?;
                escape_text(&text, &mut out);
            }
            Event::CData(c) => {
                if stack.is_empty() {
                    return Err(fail(before, "Content is not allowed in prolog."));
                }
                escape_text(&c, &mut out);
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
                let name = e.name().as_ref().to_string();
                let mut declared: BTreeMap<String, String> = BTreeMap::new();
                let mut plain: Vec<(String, String)> = Vec::new();
                for attr in e.attributes() {
                    let attr = attr.map_err(|err| fail(before, &err.to_string()))?;
                    let key = attr.key.as_ref().to_string();
                    let raw: &str = &attr.value;
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
fn xml_error(xml: &str, offset: usize, message: &str) -> XmlError {
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
    XmlError {
        line,
        column,
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c14n(xml: &str) -> String {
        canonicalize(&normalise_line_ends(xml), &Context::default())
            .unwrap()
            .text
    }

    // Examples from the C14N 1.0 recommendation, section 3.
    #[test]
    fn spec_example_start_and_end_tags() {
        let input = "<doc>\n   <e1   />\n   <e2   ></e2>\n   <e3   name = \"elem3\"   id=\"elem3\"   />\n   <e5 a:attr=\"out\" b:attr=\"sorted\" attr2=\"all\" attr=\"I'm\"\n      xmlns:b=\"http://www.ietf.org\"\n      xmlns:a=\"http://www.w3.org\"\n      xmlns=\"http://example.org\"/>\n</doc>";
        let want = "<doc>\n   <e1></e1>\n   <e2></e2>\n   <e3 id=\"elem3\" name=\"elem3\"></e3>\n   <e5 xmlns=\"http://example.org\" xmlns:a=\"http://www.w3.org\" xmlns:b=\"http://www.ietf.org\" attr=\"I'm\" attr2=\"all\" b:attr=\"sorted\" a:attr=\"out\"></e5>\n</doc>";
        assert_eq!(c14n(input), want);
    }

    #[test]
    fn spec_example_character_modifications() {
        let input = "<doc>\r\n   <text>First line&#x0d;&#10;Second line</text>\r\n   <value>&#x32;</value>\r\n   <compute><![CDATA[value>\"0\" && value<\"10\" ?\"valid\":\"error\"]]></compute>\r\n   <norm attr=' &apos;   &#x20;&#13;&#xa;&#9;   &apos; '/>\r\n</doc>";
        let want = "<doc>\n   <text>First line&#xD;\nSecond line</text>\n   <value>2</value>\n   <compute>value&gt;\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"</compute>\n   <norm attr=\" '    &#xD;&#xA;&#x9;   ' \"></norm>\n</doc>";
        assert_eq!(c14n(input), want);
    }

    #[test]
    fn comments_and_declaration_go_pi_stays() {
        let input = "<?xml version=\"1.0\"?>\n<?xml-stylesheet   href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc><!-- c -->Hello</doc>\n<!-- after -->";
        let want = "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc>Hello</doc>";
        assert_eq!(c14n(input), want);
    }

    #[test]
    fn superfluous_namespace_declarations_are_dropped() {
        let input = "<a xmlns=\"urn:x\" xmlns:p=\"urn:p\"><b xmlns=\"urn:x\" xmlns:p=\"urn:p\"><c xmlns=\"\"/></b></a>";
        let want = "<a xmlns=\"urn:x\" xmlns:p=\"urn:p\"><b><c xmlns=\"\"></c></b></a>";
        assert_eq!(c14n(input), want);
    }

    #[test]
    fn fragment_gets_inherited_namespaces_and_xml_attributes() {
        let mut ctx = Context::default();
        ctx.namespaces.insert(String::new(), "urn:x".into());
        ctx.namespaces.insert("ds".into(), "urn:ds".into());
        ctx.xml_attributes.push(("xml:lang".into(), "kk".into()));
        let got = canonicalize("<ds:S><ds:T/></ds:S>", &ctx).unwrap().text;
        assert_eq!(
            got,
            "<ds:S xmlns=\"urn:x\" xmlns:ds=\"urn:ds\" xml:lang=\"kk\"><ds:T></ds:T></ds:S>"
        );
    }

    #[test]
    fn malformed_xml_reports_line_and_column() {
        let err = canonicalize("<a>\n<b></a>", &Context::default()).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(canonicalize("<a>", &Context::default()).is_err());
        assert!(canonicalize("", &Context::default()).is_err());
        assert!(canonicalize("<a/><b/>", &Context::default()).is_err());
        assert!(canonicalize("<a>&nbsp;</a>", &Context::default()).is_err());
        assert!(canonicalize("<!DOCTYPE a []><a/>", &Context::default()).is_err());
        assert!(canonicalize("<p:a/>", &Context::default()).is_err());
    }
}
