//! Commands that talk to NCALayer (or qoltanba-signer): status, trust, keyinfo, sign, sign-file,
//! verify. The URL comes from `--url`, else QOLTANBA_SIGNER_URL, else settings, else the default.

use super::output::{runtime, Out};
use clap::{Args, Subcommand};
use qoltanba_core::app::signing::KeyChoice;
use qoltanba_core::app::{App, SignerSettings, Silent};
use qoltanba_core::model::Status;
use qoltanba_core::ncalayer::{self, NcaLayer, Pinning};
use qoltanba_core::signature::{
    certificates_from, check_seller_verdict, check_signing_key_verdict, cms_certificates,
    crls_from, verify_attached_with, verify_detached_with, verify_xml_with, xml_certificates,
    Indication, SubIndication,
};
use qoltanba_core::store::search::Query;
use qoltanba_core::store::{SettingKey, Settings};
use qoltanba_core::trust::{
    add_warnings, block_on, chain_checks_blocking, ChainChecks, CrlRun, LocalCrlServers,
};
use qoltanba_core::{signing, Error, ErrorCode, Result, Store};
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum NcaLayerCommand {
    /// Версия NCALayer, подключённые токены, сертификат соединения
    Status {
        #[arg(long)]
        url: Option<String>,
    },
    /// Доверять сертификату NCALayer (отпечаток SHA-256)
    Trust {
        #[arg(long)]
        url: Option<String>,
        /// Отпечаток SHA-256 сертификата (64 шестнадцатеричные цифры)
        #[arg(long)]
        pin: Option<String>,
        /// Подтвердить показанный отпечаток без вопроса
        #[arg(long)]
        yes: bool,
    },
    /// Сведения о ключе в хранилище
    Keyinfo {
        #[arg(long, default_value = "PKCS12")]
        storage: String,
        #[arg(long)]
        url: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct SignArgs {
    /// Документы (номера в базе)
    ids: Vec<i64>,
    /// Подписать все принятые и отклонённые документы, ожидающие подписи
    #[arg(long, conflicts_with = "ids")]
    all_pending: bool,
    /// Хранилище ключа: PKCS12, AKKaztokenStore, AKKZIDCardStore…
    #[arg(long)]
    storage: Option<String>,
    #[arg(long)]
    url: Option<String>,
}

#[derive(Args, Debug)]
pub struct SignFileArgs {
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Открепленная подпись (по умолчанию — прикреплённая, с содержимым внутри)
    #[arg(long)]
    detached: bool,
    #[arg(long)]
    url: Option<String>,
    /// Куда писать FILE.p7s (по умолчанию — рядом с файлом)
    #[arg(long)]
    out: Option<PathBuf>,
}

/// An NCALayer client from the settings (`url`: the --url flag, which wins): the same rule as
/// the window's (`app`'s `SignerSettings`).
fn client(store: &Store, url: Option<&str>) -> Result<NcaLayer> {
    SignerSettings::read(store, url)?.client()
}

pub fn ncalayer_command(store: &mut Store, c: &NcaLayerCommand, out: &Out) -> Result<()> {
    let rt = runtime();
    match c {
        NcaLayerCommand::Status { url } => {
            let nca = client(store, url.as_deref())?;
            let d = rt.block_on(nca.probe());
            if !d.connected {
                return Err(Error::new(
                    ErrorCode::SignerUnavailable,
                    d.last_error
                        .clone()
                        .unwrap_or_else(|| "NCALayer не запущен".into()),
                ));
            }
            let tokens = if d.confirmed || d.plain_loopback {
                rt.block_on(nca.get_active_tokens()).ok()
            } else {
                None
            };
            let v = serde_json::json!({"diagnostics": d, "tokens": tokens});
            out.show(&v, || {
                let mut s = format!("NCALayer {} на {}\n", d.version.as_deref().unwrap_or("?"), d.url);
                if d.plain_loopback {
                    s += "Соединение без шифрования (ws://) — допустимо только на этом компьютере\n";
                }
                if let Some(sha) = &d.certificate_sha256 {
                    s += &format!("Сертификат соединения SHA-256: {sha}\n");
                }
                s += &format!("Доверие: {}\n", d.trust);
                if !d.confirmed && !d.plain_loopback {
                    s += "Сертификат ещё не подтверждён: выполните «qoltanba ncalayer trust», чтобы подписывать\n";
                }
                if let Some(t) = &tokens {
                    s += &format!("Подключённые токены: {}", if t.is_empty() { "нет".to_string() } else { t.join(", ") });
                }
                s
            });
        }
        NcaLayerCommand::Trust { url, pin, yes } => {
            let pin_hex = match pin {
                Some(p) => {
                    Pinning::pin_from_hex(p).map_err(Error::from)?;
                    p.chars()
                        .filter(|c| c.is_ascii_hexdigit())
                        .collect::<String>()
                        .to_lowercase()
                }
                None => {
                    let mut s = ncalayer::Settings::new(Pinning::FirstUse);
                    s.url = SignerSettings::read(store, url.as_deref())?.url;
                    let nca = NcaLayer::new(s).map_err(Error::from)?;
                    let d = rt.block_on(nca.probe());
                    let sha = d.certificate_sha256.ok_or_else(|| {
                        Error::new(
                            ErrorCode::SignerUnavailable,
                            d.last_error.unwrap_or_else(|| {
                                "NCALayer не запущен или не использует TLS".into()
                            }),
                        )
                    })?;
                    eprintln!("Сертификат NCALayer на {}: SHA-256 {sha}", d.url);
                    if !*yes && !confirm_on_tty("Доверять этому сертификату? [y/N] ")
                    {
                        return Err(Error::new(
                            ErrorCode::UserCancelled,
                            "Сертификат не подтверждён",
                        ));
                    }
                    sha
                }
            };
            store.set_setting(SettingKey::SignerPin, &pin_hex)?;
            out.show(&serde_json::json!({"signerPin": pin_hex}), || {
                format!("Сертификат NCALayer {pin_hex} сохранён как доверенный")
            });
        }
        NcaLayerCommand::Keyinfo { storage, url } => {
            let nca = client(store, url.as_deref())?;
            let k = rt.block_on(nca.get_key_info(storage))?;
            out.show(&k, || serde_json::to_string_pretty(&k).unwrap_or_default());
        }
    }
    Ok(())
}

pub(super) fn confirm_on_tty(question: &str) -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return false;
    }
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    matches!(line.trim(), "y" | "Y" | "д" | "Д" | "yes" | "да")
}

/// Signs the decisions on the documents (`--all-pending`: every accepted or rejected one not
/// yet signed) through the same use-case as the window's Sign button.
pub fn sign(app: &App, a: &SignArgs, out: &Out) -> Result<()> {
    let ids: Vec<i64> = if a.all_pending {
        let q = Query {
            statuses: vec![Status::Accepted, Status::Rejected],
            limit: Some(500),
            ..Default::default()
        };
        app.read(|s| Ok(s.list(&q)?.documents.iter().map(|d| d.id).collect()))?
    } else {
        a.ids.clone()
    };
    if ids.is_empty() {
        return Err(Error::invalid(
            "Нет документов на подпись: укажите номера или --all-pending",
        ));
    }
    let key = KeyChoice {
        url: a.url.clone(),
        storage: a.storage.clone(),
    };
    let result = runtime().block_on(app.sign(&ids, &key, &Silent))?;
    let outcomes = &result.outcomes;
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.signed).collect();
    // `--json`: the whole result, so a script sees what the send after signing did.
    out.show(&result, || {
        let sent = result.sent.as_ref().map(super::operator::report_lines);
        let not_sent = result.send_error.as_ref().map(|e| {
            format!("Не отправлено, решения ждут в очереди (qoltanba outbox --send): {e}")
        });
        outcomes
            .iter()
            .map(|o| match &o.error {
                None => format!(
                    "Документ №{}: подписан ({}) и поставлен в очередь на отправку",
                    o.id,
                    o.signer
                        .as_ref()
                        .and_then(|s| s.common_name.as_deref())
                        .unwrap_or("?")
                ),
                Some(e) => format!("Документ №{}: не подписан: {}", o.id, e.message),
            })
            .chain(sent.into_iter().flatten())
            .chain(not_sent)
            .collect::<Vec<_>>()
            .join("\n")
    });
    match failed.first().and_then(|o| o.error.as_ref()) {
        None => Ok(()),
        Some(e) => Err(Error::new(
            e.code,
            format!(
                "Не подписано документов: {} из {}",
                failed.len(),
                outcomes.len()
            ),
        )),
    }
}

/// One signature `sign-file` wrote, as `--json` prints it: stable values (`algorithmId`, the
/// signer's IIN/BIN) beside the localised `algorithm` text.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct WrittenSignature {
    file: String,
    signature: String,
    algorithm_id: Option<String>,
    algorithm: Option<String>,
    signer: qoltanba_core::signature::SignerIdentity,
}

pub fn sign_file(store: &mut Store, a: &SignFileArgs, out: &Out) -> Result<()> {
    let nca = client(store, a.url.as_deref())?;
    let seller = store.seller()?;
    let max = store.max_file_size()?;
    let mut contents = Vec::new();
    for f in &a.files {
        let meta = std::fs::metadata(f)
            .map_err(|e| Error::not_found(format!("Файл {} не найден: {e}", f.display())))?;
        if meta.len() > max {
            return Err(Error::new(
                ErrorCode::FileTooLarge,
                format!("Файл {} больше допустимого размера", f.display()),
            ));
        }
        contents.push(std::fs::read(f)?);
    }
    let docs: Vec<&[u8]> = contents.iter().map(|c| c.as_slice()).collect();
    let sigs = runtime().block_on(nca.sign_cms_many(
        &docs,
        !a.detached,
        &signing::sign_options(store, seller.clone())?,
    ))?;
    let now = qoltanba_core::model::Timestamp::now();
    let mut written = Vec::new();
    for ((f, content), cms) in a.files.iter().zip(&contents).zip(sigs) {
        // The same gate as for documents: nothing is written that does not verify over the file
        // with a signing key valid now; only the seller's number needs the settings.
        // One verification: the gate's verdict is the one shown.
        let (signer, verdict) = match &seller {
            Some(s) => check_seller_verdict(&cms, content, s, now)?,
            None => check_signing_key_verdict(&cms, content, now)?,
        };
        let name = format!(
            "{}.p7s",
            f.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        );
        let target = match &a.out {
            Some(d) => {
                std::fs::create_dir_all(d)?;
                d.join(name)
            }
            None => f.with_file_name(name),
        };
        std::fs::write(&target, &cms)?;
        written.push(WrittenSignature {
            file: f.display().to_string(),
            signature: target.display().to_string(),
            algorithm_id: verdict.algorithm_id,
            algorithm: verdict.algorithm,
            signer,
        });
    }
    out.show(&written, || {
        written
            .iter()
            .map(|w| format!("Подпись записана: {}", w.signature))
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

/// `qoltanba verify FILE SIG` (detached CMS) or `qoltanba verify SIGNED` (attached CMS or signed
/// XML).
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Документ (с SIG) или подписанный файл (CMS с вложенным документом либо XML с подписью)
    pub file: PathBuf,
    /// Открепленная подпись CMS (DER, PEM или base64)
    pub sig: Option<PathBuf>,
    /// Доверенный сертификат УЦ для этой проверки (можно несколько), вдобавок к `trust list`
    #[arg(long = "ca", value_name = "FILE")]
    pub ca: Vec<PathBuf>,
    /// Список отозванных сертификатов (CRL, DER или PEM; можно несколько)
    #[arg(long = "crl", value_name = "FILE")]
    pub crl: Vec<PathBuf>,
    /// Время проверки (RFC 3339), по умолчанию — сейчас
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Не загружать списки отзыва (CRL) по адресам из сертификатов: только сохранённые и --crl
    #[arg(long)]
    pub offline: bool,
}

/// Verifies every signature of a file with its chain to the trust store's certificates and the
/// `--ca` ones; revocation from `--crl` and from the CRLs the certificates name (cached in the
/// store, downloaded unless `--offline` or setting `crl_download` = off). Exit 0 all passed, 5
/// any failed, 7 none failed but some undecided, 2 bad usage or a file that is not a signature.
pub fn verify(cli: &super::Cli, args: &VerifyArgs, out: &Out) -> Result<i32> {
    let usage = |e: Error| -> Result<i32> {
        out.fail(&e);
        Ok(2)
    };
    let read = |p: &PathBuf| {
        std::fs::read(p)
            .map_err(|e| Error::not_found(format!("Файл {} не найден: {e}", p.display())))
    };
    let at = match &args.at {
        None => qoltanba_core::model::Timestamp::now(),
        Some(t) => match qoltanba_core::model::Timestamp::parse(t) {
            Ok(t) => t,
            Err(e) => {
                return usage(Error::invalid(format!(
                    "--at ждёт время RFC 3339 (2024-01-31T12:00:00Z): {}",
                    e.message
                )))
            }
        },
    };
    let mut given_anchors = vec![];
    let mut given_crls = vec![];
    for p in &args.ca {
        match certificates_from(&read(p)?) {
            Some(c) => given_anchors.extend(c),
            None => {
                return usage(Error::invalid(format!(
                    "{} не является сертификатом (DER или PEM)",
                    p.display()
                )))
            }
        }
    }
    for p in &args.crl {
        match crls_from(&read(p)?) {
            Some(c) => given_crls.extend(c),
            None => {
                return usage(Error::invalid(format!(
                    "{} не является списком отозванных сертификатов (CRL)",
                    p.display()
                )))
            }
        }
    }
    let signed = read(&args.file)?;
    enum Signed {
        Detached(Vec<u8>),
        Xml,
        Attached(Vec<u8>),
    }
    let what = match &args.sig {
        Some(s) => match qoltanba_core::import::signature_der(&read(s)?) {
            Ok(cms) => Signed::Detached(cms),
            Err(e) => return usage(e),
        },
        None if looks_like_xml(&signed) => Signed::Xml,
        None => match qoltanba_core::import::signature_der(&signed) {
            Ok(cms) => Signed::Attached(cms),
            Err(e) => return usage(e),
        },
    };
    let certificates = match &what {
        Signed::Detached(cms) | Signed::Attached(cms) => cms_certificates(cms),
        Signed::Xml => xml_certificates(&signed),
    };
    // The trust store and its CRL cache when Qoltanba has a store here; otherwise the --ca
    // certificates alone, with lists downloaded for this check only.
    let mut store = super::trust::existing_store(cli)?;
    let download = !args.offline
        && match &store {
            Some(s) => s.crl_download()?,
            None => true,
        };
    // Test-only local CRL servers (QOLTANBA_TEST_LOCAL_CRL_SERVERS); none otherwise.
    let mut run = CrlRun::new(download).with_local_servers(LocalCrlServers::from_env());
    let signatures = [certificates.clone()];
    let checks = match store.as_mut() {
        Some(s) => chain_checks_blocking(s, at, given_anchors, &signatures, &mut run)?,
        None => block_on(ChainChecks::without_store(
            at,
            given_anchors,
            &signatures,
            &mut run,
        ))?,
    };
    let (mut validation, crl_warnings) = checks.validation(&certificates);
    validation.crls.extend(given_crls);
    let mut verdicts = match &what {
        Signed::Detached(cms) => verify_detached_with(cms, &signed, &validation),
        Signed::Xml => match verify_xml_with(&signed, &validation) {
            Ok(v) => v,
            Err(e) => return usage(e),
        },
        Signed::Attached(cms) => verify_attached_with(cms, &validation),
    };
    for v in &mut verdicts {
        add_warnings(v, &crl_warnings);
    }
    if let [only] = &verdicts[..] {
        if only.sub_indication == Some(SubIndication::FormatFailure) {
            return usage(Error::new(ErrorCode::UnsupportedFile, only.reason.clone()));
        }
    }
    // A rejection exported by Qoltanba: say what the signature rejects, not only who signed.
    let notice = match &what {
        Signed::Detached(_) => qoltanba_core::refusal::RefusalNotice::parse(&signed).ok(),
        _ => None,
    };
    let mut json = serde_json::json!({ "signatures": &verdicts });
    if let Some(n) = &notice {
        json["refusalNotice"] = serde_json::json!(n);
    }
    out.show(&json, || {
        let mut s = String::new();
        if let Some(n) = &notice {
            let or_dash = |v: &str| if v.is_empty() { "—".to_string() } else { v.to_string() };
            s += &format!(
                "Уведомление об отказе от документа {} (№ {} от {}), файл SHA-256 {}\nОтправитель: {}, получатель: {}\nПричина: {}\nСоставлено: {}\n\n",
                n.document_id,
                or_dash(&n.number),
                or_dash(&n.date),
                n.content_sha256,
                or_dash(&n.sender),
                n.recipient,
                n.reason,
                n.created_at
            );
        }
        for (i, verdict) in verdicts.iter().enumerate() {
            if i > 0 {
                s += "\n\n";
            }
            let who = verdict
                .signer
                .as_ref()
                .map(|s| {
                    format!(
                        "{} (ИИН {}, БИН {})",
                        s.common_name.as_deref().unwrap_or("—"),
                        s.iin.as_deref().unwrap_or("—"),
                        s.bin.as_deref().unwrap_or("—")
                    )
                })
                .unwrap_or_else(|| "неизвестен".into());
            let head = match verdict.indication {
                Indication::TotalPassed => "Подпись действительна",
                Indication::TotalFailed => "Подпись недействительна",
                Indication::Indeterminate => "Не удалось проверить подпись",
            };
            if verdicts.len() > 1 {
                s += &format!("Подпись {} из {}. ", i + 1, verdicts.len());
            }
            s += &format!("{head}: {}\nПодписант: {who}", verdict.reason);
            if let Some(a) = &verdict.algorithm {
                s += &format!("\nАлгоритм: {a}");
            }
            if !verdict.chain.is_empty() {
                s += &format!("\nЦепочка: {}", verdict.chain.join(" → "));
            }
            for w in &verdict.warnings {
                s += &format!("\nВнимание: {w}");
            }
        }
        s
    });
    let any = |i: Indication| verdicts.iter().any(|v| v.indication == i);
    Ok(if any(Indication::TotalFailed) {
        5
    } else if any(Indication::Indeterminate) {
        7
    } else {
        0
    })
}

/// A signed XML starts with `<` (after a BOM and white space); a CMS never does.
fn looks_like_xml(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<')
}
