//! The text search gets from a PDF (issue #17): the extractor's output on a corpus of PDFs —
//! generated ones with several fonts and encodings (one-byte ToUnicode CMaps, Type0/Identity-H
//! with Cyrillic, Differences, WinAnsi, TJ arrays, ' and ", several pages and streams), odd but
//! valid ones, the demo operator's printed forms, and every PDF of the fuzz seeds and corpus —
//! compared with what the extractor before issue #17 gave (lopdf's `extract_text_with_limit`
//! page by page, kept below as the reference), and with the text a person reads on the page.

mod operator_common;
mod support;

use qoltanba_core::import::{pdf_text_head, pdf_text_within, PdfLimits, PdfText};
use std::path::PathBuf;
use support::varied_pdf::{varied_pdf, Face, Spec};

/// The extractor as it was before issue #17 (src/import/pdf.rs at a207313), the reference.
mod reference {
    use qoltanba_core::import::{PdfLimits, PdfText};

    pub fn extract(bytes: &[u8], limits: &PdfLimits) -> Result<PdfText, String> {
        if !bytes.starts_with(b"%PDF-") {
            return Err("not a PDF".into());
        }
        let tail = &bytes[bytes.len().saturating_sub(2048)..];
        if !tail.windows(5).any(|w| w == b"%%EOF") {
            return Err("truncated".into());
        }
        let object_streams = bytes.windows(7).filter(|w| *w == b"/ObjStm").count();
        if object_streams > limits.object_streams {
            return Ok(without_text(format!(
                "в PDF {object_streams} потоков объектов, допустимо {}",
                limits.object_streams
            )));
        }
        let options = lopdf::LoadOptions {
            max_decompressed_size: Some(limits.stream_bytes),
            ..Default::default()
        };
        let parsed =
            std::panic::catch_unwind(|| lopdf::Document::load_mem_with_options(bytes, options));
        let doc = match parsed {
            Ok(Ok(d)) => d,
            Ok(Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            }))) => {
                return Ok(without_text(format!(
                    "поток объектов PDF распаковывается больше чем в {} МиБ",
                    limits.stream_bytes >> 20
                )))
            }
            _ => return Err("truncated".into()),
        };
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        if pages.is_empty() {
            return Err("no pages".into());
        }
        if doc.objects.len() > limits.objects {
            return Ok(without_text(format!(
                "в PDF {} объектов, допустимо {}",
                doc.objects.len(),
                limits.objects
            )));
        }
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            text_of_pages(&doc, &pages, limits)
        }));
        Ok(read.unwrap_or_default())
    }

    fn text_of_pages(doc: &lopdf::Document, pages: &[u32], limits: &PdfLimits) -> PdfText {
        let mut out = PdfText::default();
        let ids = doc.get_pages();
        let mut spent = 0usize;
        let mut chars = 0usize;
        for (i, page) in pages.iter().enumerate() {
            if i >= limits.pages {
                out.limited = Some(format!(
                    "текст прочитан с первых {} страниц из {}",
                    limits.pages,
                    pages.len()
                ));
                break;
            }
            let budget = limits.page_bytes.min(limits.total_bytes - spent);
            let raw =
                ids.get(page)
                    .and_then(|id| match doc.get_page_content_with_limit(*id, budget) {
                        Ok(c) => Some(c.len()),
                        Err(lopdf::Error::Decompress(
                            lopdf::DecompressError::MemoryLimitExceeded { .. },
                        )) => None,
                        Err(_) => Some(0),
                    });
            let Some(size) = raw else {
                out.limited = Some(if budget < limits.page_bytes {
                    format!(
                        "содержимое страниц PDF распаковывается больше чем в {} МиБ",
                        limits.total_bytes >> 20
                    )
                } else {
                    format!(
                        "содержимое страницы {page} распаковывается больше чем в {} МиБ",
                        limits.page_bytes >> 20
                    )
                });
                break;
            };
            spent += size;
            let text = doc
                .extract_text_with_limit(&[*page], budget)
                .unwrap_or_default();
            let left = limits.text_chars - chars;
            let n = text.chars().count();
            if n > left {
                out.text.extend(text.chars().take(left));
                out.limited = Some(format!(
                    "для поиска сохранены первые {} знаков текста",
                    limits.text_chars
                ));
                break;
            }
            chars += n;
            out.text.push_str(&text);
        }
        out
    }

    fn without_text(why: String) -> PdfText {
        PdfText {
            text: String::new(),
            limited: Some(why),
        }
    }
}

/// What the extractor gave: the text and note, or that the file was refused.
fn ours(bytes: &[u8], limits: &PdfLimits) -> Result<PdfText, ()> {
    pdf_text_within(bytes, limits).map_err(|_| ())
}

fn before(bytes: &[u8], limits: &PdfLimits) -> Result<PdfText, ()> {
    reference::extract(bytes, limits).map_err(|_| ())
}

/// Names every file whose text differs from the reference, with both texts.
fn differences(corpus: &[(String, Vec<u8>)], limits: &PdfLimits) -> Vec<String> {
    corpus
        .iter()
        .filter_map(|(name, bytes)| {
            let (new, old) = (ours(bytes, limits), before(bytes, limits));
            (new != old).then(|| format!("{name}:\n  before: {old:?}\n  now:    {new:?}"))
        })
        .collect()
}

fn generated() -> Vec<(String, Vec<u8>)> {
    (0..96)
        .map(|i| (format!("varied-{i}"), varied_pdf(i, &format!("GEN-{i:04}"))))
        .collect()
}

#[test]
fn generated_pdfs_read_as_the_page_says_in_every_face_and_layout() {
    for i in 0..32 {
        let t = ours(&varied_pdf(i, "GEN-7"), &PdfLimits::default()).unwrap();
        assert!(t.limited.is_none(), "{i}: {t:?}");
        let words = t.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let expect = if i % 4 == 3 {
            [
                "SALES REPORT",
                "No GEN-7 of 31.10.2026, café € 12",
                "BIN 123456789021",
            ]
        } else {
            [
                "ОТЧЁТ О РЕАЛИЗАЦИИ ТОВАРА",
                "№ GEN-7 от 31.10.2026",
                "ТОО «Продавец» БИН 123456789021",
            ]
        };
        for e in expect {
            // TJ arrays split words in the middle with a narrow kern: compare without spaces.
            let squeeze = |s: &str| s.replace(' ', "");
            assert!(
                squeeze(&words).contains(&squeeze(e)),
                "{i}: {e} not in {words}"
            );
        }
        assert!(words.contains("Total: 125000.00 KZT"), "{i}: {words}");
    }
}

#[test]
fn generated_pdfs_give_the_same_text_as_before() {
    let diff = differences(&generated(), &PdfLimits::default());
    assert!(diff.is_empty(), "{}", diff.join("\n"));
}

/// Valid PDFs that stray from the common path: escapes, inline images, comments, fonts that
/// lopdf cannot map, several fonts on a page, object streams.
fn unusual() -> Vec<(String, Vec<u8>)> {
    let spec = |face, layout| Spec {
        face,
        layout,
        pages: 1,
        shift: 0,
        compressed: false,
        split: false,
        inherited: false,
    };
    let mut out = Vec::new();
    let odd_content: &[(&str, &[u8])] = &[
        ("escapes", b"BT /F2 12 Tf (a\\(b\\)c \\\\ \\101\\102\\7 \\n(nested (twice)) x\\\ny) Tj ET"),
        ("hex-odd", b"BT /F2 12 Tf <48 65 6C 6C 6F 2> Tj <> Tj ET"),
        ("inline-image", b"BT /F2 12 Tf (before) Tj ET q BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\x01\x02\x03 EI Q BT /F2 12 Tf (after) Tj ET"),
        ("comments", b"% a comment\nBT /F2 12 Tf (one) Tj % mid (not text) Tj\n(two) Tj ET\n%end"),
        ("tj-numbers", b"BT /F2 12 Tf [(A) -101 (B) -100 (C) 200 (D) -1000.5 (E)] TJ [(F)] TJ ET"),
        ("no-font", b"BT (orphan) Tj ET BT /F2 12 Tf (kept) Tj ET"),
        ("unknown-font", b"BT /F9 12 Tf (lost) Tj /F2 12 Tf (found) Tj ET"),
        ("bad-tf", b"BT 12 Tf (x) Tj ET"),
        ("empty-tf", b"BT Tf (x) Tj ET"),
        ("quote-short", b"BT /F2 12 Tf (a) ' 1 (b) \" 1 2 (c) \" ET"),
        ("dict-operand", b"BT /F2 12 Tf /Span << /ActualText (z) >> BDC (marked) Tj EMC ET"),
        ("junk-after", b"BT /F2 12 Tf (good) Tj ET } (bad) Tj"),
        ("reals", b"BT /F2 12.5 Tf .5 -.5 Td +1 0 0 1 0 0 Tm (r) Tj T* T* (s) Tj ET"),
        ("no-et", b"BT /F2 12 Tf (open) Tj"),
        ("nested-arrays", b"BT /F2 12 Tf [[(in) -200] (out)] TJ ET"),
        ("names", b"BT /F#32 12 Tf (hash) Tj /F2 12 Tf (plain) Tj ET"),
        ("ops", b"BT /F2 12 Tf 1 0 0 RG 0.5 g (col) Tj q Q d0 (x) Tj ET"),
    ];
    for (name, content) in odd_content {
        out.push((name.to_string(), one_page(content, &font_set())));
    }
    let fonts: &[(&str, &str)] = &[
        ("macroman", "<< /Type /Font /Subtype /Type1 /BaseFont /Times /Encoding /MacRomanEncoding >>"),
        ("standard", "<< /Type /Font /Subtype /Type1 /BaseFont /Times >>"),
        ("unknown-encoding", "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /UniJIS-UCS2-H >>"),
        ("identity-without-map", "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H >>"),
        ("not-a-font-type", "<< /Subtype /Type1 /BaseFont /Times >>"),
        ("bad-differences", "<< /Type /Font /Subtype /Type1 /Encoding << /Type /Encoding /Differences [65 /nosuchglyph] >> >>"),
        ("utf16-gb", "<< /Type /Font /Subtype /Type0 /Encoding /UniGB-UCS2-H >>"),
    ];
    for (name, font) in fonts {
        let content: &[u8] = if *name == "utf16-gb" {
            b"BT /F1 12 Tf <0410043104320020004100420043> Tj ET"
        } else {
            b"BT /F1 12 Tf (Plain \x80\xe9\xfc text) Tj ET"
        };
        out.push((
            format!("font-{name}"),
            one_page(content, &format!("<< /F1 {font} >>")),
        ));
    }
    let cmaps: &[(&str, &str)] = &[
        (
            "bfrange-array",
            "1 beginbfrange\n<41> <43> [<0410> <0411> <D835DC00>]\nendbfrange\n",
        ),
        (
            "bfrange-string",
            "1 beginbfrange\n<41> <44> <00660066>\nendbfrange\n",
        ),
        (
            "mixed-lengths",
            "1 beginbfchar\n<41> <0041>\nendbfchar\n1 beginbfchar\n<4242> <0411>\nendbfchar\n",
        ),
        (
            "bom",
            "1 beginbfchar\n<41> <FEFF>\nendbfchar\n1 beginbfchar\n<42> <0042>\nendbfchar\n",
        ),
        ("unparsable", "1 beginbfchar\n<41> zzz\nendbfchar\n"),
        (
            "reversed-range",
            "1 beginbfrange\n<45> <41> <0041>\nendbfrange\n",
        ),
    ];
    for (name, body) in cmaps {
        let cmap = format!("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <00> <FF> endcodespacerange\n{body}endcmap CMapName currentdict /CMap defineresource pop end end\n");
        let font = "<< /F1 << /Type /Font /Subtype /Type1 /ToUnicode 9 0 R >> >>";
        let content = b"BT /F1 12 Tf (ABCBBDE) Tj <4242> Tj (\xff) Tj ET";
        out.push((
            format!("cmap-{name}"),
            one_page_with(content, font, Some(cmap.as_bytes())),
        ));
    }
    // Object streams and a cross-reference stream, as modern producers save.
    let mut doc = lopdf::Document::load_mem(&varied_pdf(5, "OBJSTM")).unwrap();
    let mut modern = Vec::new();
    doc.save_modern(&mut modern).unwrap();
    out.push(("object-streams".into(), modern));
    // The same font on every page of a long document.
    let many: Vec<String> = (0..40)
        .map(|k| format!("Страница {k}: Акт сверки"))
        .collect();
    let long = Spec {
        pages: 20,
        ..spec(Face::Type0, 1)
    };
    out.push(("twenty-pages".into(), long.render(&many, "Total")));
    out.push((
        "helper-sales-report".into(),
        support::sales_report_pdf("OZ-1"),
    ));
    out.push(("helper-one-line".into(), support::pdf(&["Some text"])));
    out.push((
        "helper-lines".into(),
        support::pdf(&["А", "Б", "(скобки) \\ ok"]),
    ));
    out
}

/// Font resources for the odd content: F2 is a plain WinAnsi Helvetica.
fn font_set() -> String {
    "<< /F2 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> >>"
        .into()
}

fn one_page(content: &[u8], fonts: &str) -> Vec<u8> {
    one_page_with(content, fonts, None)
}

/// One page with this content and font dictionary; `extra` becomes object 9 (a stream).
fn one_page_with(content: &[u8], fonts: &str, extra: Option<&[u8]>) -> Vec<u8> {
    let stream = |body: &[u8]| {
        [
            format!("<< /Length {} >>\nstream\n", body.len()).into_bytes(),
            body.to_vec(),
            b"\nendstream".to_vec(),
        ]
        .concat()
    };
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font {fonts} >> /Contents 4 0 R >>").into_bytes(),
        stream(content),
    ];
    if let Some(extra) = extra {
        while objects.len() < 8 {
            objects.push(b"null".to_vec());
        }
        objects.push(stream(extra));
    }
    support::pdf_from_objects(&objects)
}

#[test]
fn unusual_pdfs_give_the_same_text_as_before() {
    let diff = differences(&unusual(), &PdfLimits::default());
    assert!(diff.is_empty(), "{}", diff.join("\n"));
}

/// The PDFs an operator serves, seeded as `configure` says.
fn served(configure: impl FnOnce(&mut qoltanba_operator::Settings)) -> Vec<(String, Vec<u8>)> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(operator_common::Server::start(configure));
    let db = server.db();
    let mut st = db
        .prepare(
            "SELECT id, bytes FROM attachments WHERE mime_type = 'application/pdf' ORDER BY id",
        )
        .unwrap();
    let rows = st
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows
}

/// The demo operator's printed forms (printpdf, an embedded subsetted TrueType font).
fn demo() -> Vec<(String, Vec<u8>)> {
    served(|_| {})
}

/// The sync benchmark's documents (`qoltanba-operator --seed N`): a template per font and
/// layout (twelve: four DejaVu faces, Type0/Identity-H with two-byte CMaps, three layouts), of
/// 50 KB and several pages each, read whole and by their head as the sync reads them.
#[test]
fn the_sync_benchmarks_documents_give_the_same_text_as_before() {
    let docs = served(|s| {
        s.seed = Some(qoltanba_operator::Seed::Load(12));
        s.load_attachment_bytes = 50 << 10;
    });
    assert_eq!(docs.len(), 12);
    let diff = differences(&docs, &PdfLimits::default());
    assert!(diff.is_empty(), "{}", diff.join("\n"));
    for (name, bytes) in &docs {
        let whole = before(bytes, &PdfLimits::default()).unwrap().text;
        assert!(
            whole.chars().count() > 4_096,
            "{name}: {} characters",
            whole.len()
        );
        let (head, more) = pdf_text_head(bytes, &PdfLimits::default(), 4_096).unwrap();
        let expect: String = whole.chars().take(4_096).collect();
        assert_eq!((head.text, more), (expect, true), "{name}");
    }
}

#[test]
fn the_demo_documents_give_the_same_text_as_before() {
    let docs = demo();
    assert!(docs.len() >= 5, "{} demo PDFs", docs.len());
    for (name, bytes) in &docs {
        let t = ours(bytes, &PdfLimits::default()).unwrap();
        assert!(t.text.contains("№ OZ-"), "{name}: {}", t.text);
    }
    let diff = differences(&docs, &PdfLimits::default());
    assert!(diff.is_empty(), "{}", diff.join("\n"));
}

/// Every PDF the fuzzers kept: hostile, truncated, malformed.
fn fuzzed() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut files = Vec::new();
    for dir in ["seeds/import_pdf", "corpus/import_pdf"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            files.push((
                format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()),
                std::fs::read(&p).unwrap(),
            ));
        }
    }
    files.sort();
    files
}

#[test]
fn the_fuzz_corpus_gives_the_same_text_as_before() {
    let files = fuzzed();
    assert!(files.len() > 100, "{} fuzz inputs", files.len());
    let diff = differences(&files, &PdfLimits::default());
    assert!(
        diff.is_empty(),
        "{} of {} differ:\n{}",
        diff.len(),
        files.len(),
        diff.join("\n")
    );
}

#[test]
fn tight_budgets_cut_the_text_where_they_did_before() {
    let mut corpus = generated();
    corpus.extend(unusual());
    for limits in [
        PdfLimits {
            pages: 1,
            ..PdfLimits::default()
        },
        PdfLimits {
            text_chars: 70,
            ..PdfLimits::default()
        },
        PdfLimits {
            page_bytes: 300,
            ..PdfLimits::default()
        },
        PdfLimits {
            total_bytes: 700,
            ..PdfLimits::default()
        },
        PdfLimits {
            objects: 12,
            ..PdfLimits::default()
        },
    ] {
        let diff = differences(&corpus, &limits);
        assert!(diff.is_empty(), "{limits:?}:\n{}", diff.join("\n"));
        assert!(
            corpus
                .iter()
                .any(|(_, b)| ours(b, &limits).unwrap().limited.is_some()),
            "{limits:?} never bites"
        );
    }
}

/// A ToUnicode CMap of one line mapping every four-byte code: lopdf expanded it into four
/// billion entries (minutes and gigabytes from a file of a kilobyte); read as a range, it
/// costs nothing, and the font decodes.
#[test]
fn a_cmap_mapping_four_billion_codes_is_read_at_once() {
    let cmap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CMapName /Wide def\n1 begincodespacerange\n<00000000> <FFFFFFFF>\nendcodespacerange\n1 beginbfrange\n<00000000> <FFFFFFFF> <0000>\nendbfrange\nendcmap CMapName currentdict /CMap defineresource pop end end\n";
    let font = "<< /F1 << /Type /Font /Subtype /Type0 /Encoding /Identity-H /ToUnicode 9 0 R >> >>";
    let pdf = one_page_with(
        b"BT /F1 12 Tf <0000041000000411> Tj ET",
        font,
        Some(cmap.as_bytes()),
    );
    assert!(pdf.len() < 2048, "{} bytes", pdf.len());
    let started = std::time::Instant::now();
    let t = ours(&pdf, &PdfLimits::default()).unwrap();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(t.text, "АБ\n");
}
