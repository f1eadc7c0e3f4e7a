//! XML checks and text extraction at import. A DOCTYPE (and with it every entity declaration,
//! the root of XXE and "billion laughs") is refused outright and never expanded.

use crate::error::{Error, ErrorCode, Result};
use quick_xml::events::Event;
use quick_xml::Reader;

/// What an XML document says, for search and recognition.
#[derive(Debug, Default, Clone)]
pub struct XmlText {
    pub root: String,
    /// Every text node, joined by spaces.
    pub text: String,
    /// (element local name, text) pairs, for recognising number, date and kind.
    pub fields: Vec<(String, String)>,
}

pub fn looks_like_xml(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    b.iter()
        .find(|c| !c.is_ascii_whitespace())
        .is_some_and(|c| *c == b'<')
}

pub fn extract(bytes: &[u8]) -> Result<XmlText> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let s = std::str::from_utf8(body)
        .map_err(|_| Error::new(ErrorCode::UnsupportedFile, "XML-файл не в кодировке UTF-8"))?;
    let mut r = Reader::from_str(s);
    let mut out = XmlText::default();
    let mut path: Vec<String> = Vec::new();
    let mut depth_seen = false;
    let mut buf = String::new();
    let unsafe_ref = || {
        Error::new(
            ErrorCode::UnsafeXml,
            "XML ссылается на неизвестную сущность",
        )
    };
    loop {
        let ev = r.read_event();
        if matches!(
            ev,
            Ok(Event::Start(_)) | Ok(Event::End(_)) | Ok(Event::Empty(_)) | Ok(Event::Eof)
        ) {
            flush(&mut buf, path.last(), &mut out);
        }
        match ev {
            Ok(Event::DocType(_)) => {
                return Err(Error::new(
                    ErrorCode::UnsafeXml,
                    "XML содержит DOCTYPE (объявления сущностей): такие файлы не принимаются из соображений безопасности",
                ))
            }
            Ok(Event::Start(e)) => {
                let name = e.local_name().as_ref().to_string();
                if !depth_seen {
                    out.root = name.clone();
                    depth_seen = true;
                }
                path.push(name);
                if path.len() > 256 {
                    return Err(Error::new(ErrorCode::UnsafeXml, "XML слишком глубоко вложен"));
                }
            }
            Ok(Event::Empty(e)) => {
                if !depth_seen {
                    out.root = e.local_name().as_ref().to_string();
                    depth_seen = true;
                }
            }
            Ok(Event::End(_)) => {
                path.pop();
            }
            Ok(Event::Text(t)) => {
                buf.push_str(&quick_xml::escape::unescape(&t).map_err(|_| unsafe_ref())?);
            }
            Ok(Event::GeneralRef(e)) => {
                // Only the five predefined entities and character references are decoded; any
                // other entity reference is refused, never looked up.
                let written = format!("&{};", &*e);
                let resolved = quick_xml::escape::unescape(&written).map_err(|_| unsafe_ref())?;
                buf.push_str(&resolved);
            }
            Ok(Event::CData(t)) => buf.push_str(&t),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(Error::new(
                    ErrorCode::UnsupportedFile,
                    format!("XML повреждён: {e}"),
                ))
            }
        }
    }
    if !depth_seen {
        return Err(Error::new(
            ErrorCode::UnsupportedFile,
            "В XML нет ни одного элемента",
        ));
    }
    if !path.is_empty() {
        return Err(Error::new(
            ErrorCode::UnsupportedFile,
            "XML обрывается: не все элементы закрыты",
        ));
    }
    Ok(out)
}

fn flush(buf: &mut String, element: Option<&String>, out: &mut XmlText) {
    let txt = buf.trim();
    if !txt.is_empty() {
        if let Some(el) = element {
            out.fields.push((el.clone(), txt.to_string()));
        }
        if !out.text.is_empty() {
            out.text.push(' ');
        }
        out.text.push_str(txt);
    }
    buf.clear();
}
