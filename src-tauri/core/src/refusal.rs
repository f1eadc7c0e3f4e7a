//! The refusal notice: what a rejection signs (operator-api.md, rejections version 2). A
//! signature over the bare reason could be shown as the rejection of any document; the notice
//! names the document (id, number, date, parties) and the SHA-256 of the main file the user saw,
//! so the signature cannot be moved to another document or another version of this one.
//!
//! Built here from a stored document, and read back by one strict parser that the operator
//! server, `qoltanba verify` and the signing path share: a size cap, UTF-8 only, no DOCTYPE,
//! comments, processing instructions or CDATA, and exactly the elements of the spec in its order.

use crate::error::{Error, ErrorCode, Result};
use crate::model::{Day, Document, TaxNumber, Timestamp};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// A notice with a 5000-character reason, every character escaped to `&quot;` (6 bytes), is
/// about 30 KiB; nothing honest comes near this cap.
pub const MAX_NOTICE_BYTES: usize = 64 * 1024;
/// The operator's limit on a reason (operator-api.md).
pub const MAX_REASON_CHARS: usize = 5000;
const MAX_FIELD_CHARS: usize = 256;
const ROOT: &str = "RefusalNotice";
const TEXT_FIELDS: [&str; 4] = ["DocumentId", "Number", "Date", "ContentSha256"];

/// The fields of a refusal notice, as written in it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefusalNotice {
    /// The operator's id of the document, or `local-N` for a document imported from a file.
    pub document_id: String,
    /// Empty when the document has no number (an imported file may not say it).
    pub number: String,
    /// `YYYY-MM-DD`, or empty when the document has no date.
    pub date: String,
    /// Lowercase hex SHA-256 of the main file's bytes.
    pub content_sha256: String,
    /// BIN (or an entrepreneur's IIN) of the sender; empty when an imported file does not say.
    pub sender: String,
    pub recipient: String,
    pub reason: String,
    /// RFC 3339 UTC with whole seconds, e.g. `2026-11-05T10:00:00Z`.
    pub created_at: String,
}

fn bad(why: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::InvalidInput,
        format!("Уведомление об отказе не соответствует формату: {why}"),
    )
}

/// Characters XML 1.0 cannot carry at all, not even as a character reference: a reason with one
/// could not be signed as a notice, so it is refused when the reason is given.
pub fn has_forbidden_char(s: &str) -> bool {
    s.chars().any(|c| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    })
}

impl RefusalNotice {
    /// The notice for rejecting `doc` with its stored reason at `now`. `seller` stands in for
    /// the recipient when an imported document does not name one: the seller is who refuses.
    pub fn for_document(doc: &Document, seller: &str, now: Timestamp) -> Result<Self> {
        let reason = doc
            .reject_reason
            .clone()
            .filter(|r| !r.trim().is_empty())
            .ok_or_else(|| Error::invalid("У отклонённого документа нет причины отклонения"))?;
        let notice = RefusalNotice {
            document_id: doc
                .operator_id
                .clone()
                .unwrap_or_else(|| format!("local-{}", doc.id)),
            number: doc.fields.number.clone().unwrap_or_default(),
            date: doc.fields.date.clone().unwrap_or_default(),
            content_sha256: doc.content_sha256.clone(),
            sender: doc
                .fields
                .sender
                .as_ref()
                .map(|p| p.bin.clone())
                .unwrap_or_default(),
            recipient: doc
                .fields
                .recipient
                .as_ref()
                .map(|p| p.bin.clone())
                .filter(|b| !b.is_empty())
                .unwrap_or_else(|| seller.to_string()),
            reason,
            created_at: now.to_whole_seconds().to_string(),
        };
        notice.check()?;
        Ok(notice)
    }

    /// Whether this notice is about `doc` as stored: the same document, the same main file and
    /// the same reason. Anything else is a signature that would reject something else.
    pub fn names(&self, doc: &Document) -> Result<()> {
        let id = doc
            .operator_id
            .clone()
            .unwrap_or_else(|| format!("local-{}", doc.id));
        let wrong = if self.document_id != id {
            "другой документ"
        } else if self.content_sha256 != doc.content_sha256 {
            "другую версию файла документа"
        } else if Some(&self.reason) != doc.reject_reason.as_ref() {
            "другую причину отклонения"
        } else if self.number != doc.fields.number.clone().unwrap_or_default()
            || self.date != doc.fields.date.clone().unwrap_or_default()
        {
            "другой номер или дату документа"
        } else {
            return Ok(());
        };
        Err(Error::new(
            ErrorCode::SignatureInvalid,
            format!("Подписанное уведомление об отказе называет {wrong}: подпись не сохранена"),
        ))
    }

    /// The exact bytes that are signed, sent and exported.
    pub fn to_bytes(&self) -> Vec<u8> {
        let e = |s: &str| text(s);
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{ROOT} version=\"2\">\n  <DocumentId>{}</DocumentId>\n  <Number>{}</Number>\n  <Date>{}</Date>\n  <ContentSha256>{}</ContentSha256>\n  <Sender id=\"{}\"/>\n  <Recipient id=\"{}\"/>\n  <Reason>{}</Reason>\n  <CreatedAt>{}</CreatedAt>\n</{ROOT}>\n",
            e(&self.document_id),
            e(&self.number),
            e(&self.date),
            e(&self.content_sha256),
            e(&self.sender),
            e(&self.recipient),
            e(&self.reason),
            e(&self.created_at),
        )
        .into_bytes()
    }

    /// Reads a notice, refusing anything but the exact shape of the spec.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        if bytes.len() > MAX_NOTICE_BYTES {
            return Err(bad(format!(
                "{} байт, допустимо не больше {MAX_NOTICE_BYTES}",
                bytes.len()
            )));
        }
        let s = std::str::from_utf8(bytes).map_err(|_| bad("текст не в кодировке UTF-8"))?;
        let mut r = Reader::from_str(s);
        match next(&mut r)? {
            Event::Decl(d) => {
                let version = d.version().map_err(bad)?;
                let encoding = d.encoding().transpose().map_err(bad)?;
                if version.as_ref() != "1.0"
                    || !encoding.is_some_and(|e| e.eq_ignore_ascii_case("UTF-8"))
                    || d.standalone().is_some()
                {
                    return Err(bad(
                        "нужно объявление <?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                    ));
                }
            }
            _ => return Err(bad("нет объявления XML")),
        }
        match next(&mut r)? {
            Event::Start(e) if e.name().as_ref() == ROOT => {
                if only_attribute(&e, "version")? != "2" {
                    return Err(bad("поддерживается только version=\"2\""));
                }
            }
            _ => return Err(bad(format!("корневой элемент должен быть <{ROOT}>"))),
        }
        let mut fields = Vec::with_capacity(4);
        for name in TEXT_FIELDS {
            fields.push(element_text(&mut r, name)?);
        }
        let sender = party(&mut r, "Sender")?;
        let recipient = party(&mut r, "Recipient")?;
        let reason = element_text(&mut r, "Reason")?;
        let created_at = element_text(&mut r, "CreatedAt")?;
        match next(&mut r)? {
            Event::End(e) if e.name().as_ref() == ROOT => {}
            _ => return Err(bad(format!("после <CreatedAt> ожидается </{ROOT}>"))),
        }
        if !matches!(next(&mut r)?, Event::Eof) {
            return Err(bad(format!("после </{ROOT}> ничего не должно быть")));
        }
        let [document_id, number, date, content_sha256]: [String; 4] =
            fields.try_into().expect("four text fields");
        let notice = RefusalNotice {
            document_id,
            number,
            date,
            content_sha256,
            sender,
            recipient,
            reason,
            created_at,
        };
        notice.check()?;
        Ok(notice)
    }

    /// The values' own rules, the same for what is built and what is read.
    fn check(&self) -> Result<()> {
        let id_ok = |s: &str| {
            !s.is_empty() && s.chars().count() <= MAX_FIELD_CHARS && !has_forbidden_char(s)
        };
        if !id_ok(&self.document_id) || self.document_id.chars().any(char::is_whitespace) {
            return Err(bad("DocumentId пуст или содержит пробелы"));
        }
        if self.number.chars().count() > MAX_FIELD_CHARS || has_forbidden_char(&self.number) {
            return Err(bad(
                "Number слишком длинный или содержит управляющие символы",
            ));
        }
        if !self.date.is_empty() && Day::parse(&self.date).is_err() {
            return Err(bad("Date должна быть датой ГГГГ-ММ-ДД"));
        }
        let hex = |s: &str| {
            s.len() == 64
                && s.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        };
        if !hex(&self.content_sha256) {
            return Err(bad(
                "ContentSha256 должен быть 64 строчными шестнадцатеричными цифрами",
            ));
        }
        let bin = TaxNumber::is_valid;
        if !(self.sender.is_empty() || bin(&self.sender)) {
            return Err(bad("Sender id должен быть БИН или ИИН из 12 цифр"));
        }
        if !bin(&self.recipient) {
            return Err(bad("Recipient id должен быть БИН или ИИН из 12 цифр"));
        }
        let n = self.reason.chars().count();
        if self.reason.trim().is_empty() || n > MAX_REASON_CHARS || has_forbidden_char(&self.reason)
        {
            return Err(bad(format!(
                "Reason должна быть от 1 до {MAX_REASON_CHARS} символов без управляющих"
            )));
        }
        // Only the one form, whole seconds in UTC: what `for_document` writes.
        let canonical = Timestamp::parse(&self.created_at)
            .is_ok_and(|t| t.to_whole_seconds().to_string() == self.created_at);
        if !canonical {
            return Err(bad(
                "CreatedAt должно быть временем вида 2026-11-05T10:00:00Z",
            ));
        }
        Ok(())
    }
}

/// The refusal notice a rejection's outbox payload carries (`notice`, base64), checked before
/// the signature over it is kept: its hash is the signed hash, it is a notice about `doc`, and the
/// payload's `reason` is the one it names.
pub(crate) fn from_payload(
    payload: &serde_json::Value,
    signed_sha256: &str,
    doc: &Document,
) -> Result<Vec<u8>> {
    use base64::Engine;
    let missing = || {
        Error::new(
            ErrorCode::SignatureInvalid,
            "Отказ подписан без уведомления об отказе: подпись не сохранена",
        )
    };
    let notice = payload["notice"]
        .as_str()
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .ok_or_else(missing)?;
    if crate::model::sha256_hex(&notice) != signed_sha256 {
        return Err(missing());
    }
    RefusalNotice::parse(&notice)?.names(doc)?;
    if payload["reason"].as_str() != doc.reject_reason.as_deref() {
        return Err(Error::new(
            ErrorCode::SignatureInvalid,
            "Причина в отправляемом отказе не совпадает с подписанной: подпись не сохранена",
        ));
    }
    Ok(notice)
}

/// Escapes text for an element or attribute. A carriage return is written as a character
/// reference: a raw one would be turned into a line feed by any XML reader, and the reason read
/// back would no longer be the reason sent.
fn text(s: &str) -> String {
    quick_xml::escape::escape(s).replace('\r', "&#13;")
}

/// The next event that is not whitespace between elements; anything the notice never has is
/// refused here.
fn next<'a>(r: &mut Reader<&'a [u8]>) -> Result<Event<'a>> {
    loop {
        match r.read_event().map_err(bad)? {
            Event::Text(t) if t.xml10_content().trim().is_empty() => continue,
            Event::DocType(_) => {
                return Err(Error::new(
                    ErrorCode::UnsafeXml,
                    "Уведомление об отказе содержит DOCTYPE (объявления сущностей): такие файлы не принимаются",
                ))
            }
            Event::Comment(_) | Event::PI(_) | Event::CData(_) => {
                return Err(bad("комментарии, инструкции и CDATA не допускаются"))
            }
            Event::Text(_) | Event::GeneralRef(_) => {
                return Err(bad("текст вне элементов"));
            }
            e => return Ok(e),
        }
    }
}

/// `<name>text</name>`, with only the predefined entities and character references decoded.
fn element_text(r: &mut Reader<&[u8]>, name: &str) -> Result<String> {
    match next(r)? {
        Event::Start(e) if e.name().as_ref() == name => {
            if e.attributes().next().is_some() {
                return Err(bad(format!("у <{name}> не бывает атрибутов")));
            }
        }
        _ => return Err(bad(format!("ожидается <{name}>"))),
    }
    let mut out = String::new();
    loop {
        match r.read_event().map_err(bad)? {
            Event::Text(t) => out.push_str(&t.xml10_content()),
            Event::GeneralRef(e) => {
                let written = format!("&{};", &*e);
                let resolved = quick_xml::escape::unescape(&written)
                    .map_err(|_| bad(format!("неизвестная сущность {written}")))?;
                out.push_str(&resolved);
            }
            Event::End(e) if e.name().as_ref() == name => break,
            _ => return Err(bad(format!("внутри <{name}> допускается только текст"))),
        }
        if out.len() > MAX_NOTICE_BYTES {
            return Err(bad(format!("<{name}> слишком длинный")));
        }
    }
    Ok(out)
}

/// `<name id="..."/>`.
fn party(r: &mut Reader<&[u8]>, name: &str) -> Result<String> {
    match next(r)? {
        Event::Empty(e) if e.name().as_ref() == name => only_attribute(&e, "id"),
        _ => Err(bad(format!("ожидается <{name} id=\"…\"/>"))),
    }
}

/// The value of the element's one attribute, which must be `name`. Values in a notice are
/// digits only, so an escaped value is refused rather than decoded.
fn only_attribute(e: &BytesStart<'_>, name: &str) -> Result<String> {
    let mut attrs = e.attributes();
    let a = match attrs.next() {
        Some(a) => a.map_err(bad)?,
        None => return Err(bad(format!("нет атрибута {name}"))),
    };
    if a.key.as_ref() != name || attrs.next().is_some() {
        return Err(bad(format!("допускается только атрибут {name}")));
    }
    if a.value.contains('&') {
        return Err(bad(format!("атрибут {name} содержит ссылку на сущность")));
    }
    Ok(a.value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> RefusalNotice {
        RefusalNotice {
            document_id: "doc_01".into(),
            number: "OZ-2026-10-0042".into(),
            date: "2026-10-31".into(),
            content_sha256: "ab".repeat(32),
            sender: "201040012345".into(),
            recipient: "123456789021".into(),
            reason: "Сумма <НДС> & \"итог\"\r\nне совпадают".into(),
            created_at: "2026-11-05T10:00:00Z".into(),
        }
    }

    #[test]
    fn a_notice_reads_back_as_written_even_with_markup_and_line_ends_in_the_reason() {
        let n = sample();
        let bytes = n.to_bytes();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            text.contains("&lt;НДС&gt; &amp; &quot;итог&quot;&#13;\n"),
            "{text}"
        );
        assert_eq!(RefusalNotice::parse(&bytes).unwrap(), n);
    }

    #[test]
    fn a_notice_of_another_shape_is_refused() {
        let good = String::from_utf8(sample().to_bytes()).unwrap();
        let variants = [
            good.replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", ""),
            good.replace("version=\"2\"", "version=\"1\""),
            good.replace("<Number>", "<Number x=\"1\">"),
            good.replace("  <Date>2026-10-31</Date>\n", ""),
            good.replace(
                "<Sender id=\"201040012345\"/>",
                "<Sender id=\"201040012345\"></Sender>",
            ),
            good.replace("<Reason>", "<!-- c --><Reason>"),
            good.replace("</RefusalNotice>\n", "</RefusalNotice>\n<Extra/>"),
            good.replace("<Reason>", "<Reason><![CDATA[x]]>"),
            good.replace("ContentSha256>abab", "ContentSha256>ABAB"),
            good.replace("&amp;", "&ent;"),
            good.replace(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE r [<!ENTITY e \"x\">]>\n",
            ),
            good.replace("<Recipient", "<Reason>x</Reason><Recipient"),
        ];
        for v in variants {
            assert_ne!(v, good);
            assert!(
                RefusalNotice::parse(v.as_bytes()).is_err(),
                "accepted:\n{v}"
            );
        }
        let too_big = format!("{good}{}", " ".repeat(MAX_NOTICE_BYTES));
        let e = RefusalNotice::parse(too_big.as_bytes()).unwrap_err();
        assert!(e.message.contains("байт"), "{}", e.message);
    }
}
