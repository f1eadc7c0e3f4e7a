//! Signing benchmark (issues #3, #17): 1,000 documents of 100 KB, 50 per request, with the
//! RSA-2048 and the GOST-2015-512 test keys. For each key:
//!
//! - the app's real path through the protocol — `signing::sign_documents` reading each
//!   document from a real store, signing through the core's NCALayer client and qoltanba-signer
//!   over pinned TLS (automatic approval), checking each fresh signature once on all cores and
//!   keeping it (signature, history, outbox) — beside the same path with the CMS made
//!   in-process by the same code with the same key on the same cores: the ratio is what the
//!   protocol costs the app;
//! - signing alone through the protocol (`NcaLayer::sign_batch`, no store) beside in-process
//!   signing alone;
//!
//! and once, "transport only": qoltanba-signer in its fixed-CMS mode (documents decoded and
//! approved, one fixed CMS answered), i.e. the protocol with the signing taken out. µs per
//! document for each stage (read, encode, sign, check, keep), and the latency of a one-document
//! request. Each figure is the best of three runs, ours and its floor taking turns
//! (QOLTANBA_BENCH_ROUNDS).
//! `cargo bench --workspace --locked --features qoltanba-core/test-gost-signer --bench signing`.

#[path = "../../../benches/report_line.rs"]
mod report_line;
#[path = "../tests/support/mod.rs"]
mod support;

use qoltanba_core::keychain::KeychainMode;
use qoltanba_core::model::*;
use qoltanba_core::ncalayer::{NcaLayer, Pinning, Prepared, Settings, SignOptions};
use qoltanba_core::signature::{check_seller_verdict, Seller, SellerKind};
use qoltanba_core::signing::{self, BatchProgress};
use qoltanba_core::store::{sha256_hex, NewDocument, NewSignature, SettingKey, Settings as _};
use qoltanba_core::{OpenOptions, Store};
use qoltanba_signer::confirm::Confirm;
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::server::{Running, Server};
use qoltanba_signer::testkeys::{self, Manifest, SELLER_BIN};
use qoltanba_signer::tls::TlsIdentity;
use report_line::{Better, Figure};
use std::time::{Duration, Instant};
use time::macros::datetime;

const DOCS: usize = 1000;
const SIZE: usize = 100 * 1024;
const CHUNK: usize = 50;

/// Runs of each figure, the best kept (QOLTANBA_BENCH_ROUNDS, default 3).
fn rounds() -> usize {
    std::env::var("QOLTANBA_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
        .max(1)
}

/// Which parts run (QOLTANBA_BENCH_PARTS, comma-separated: rsa, gost, transport, latency; all by
/// default), so a profiler can be pointed at one of them.
fn part(name: &str) -> bool {
    std::env::var("QOLTANBA_BENCH_PARTS")
        .map(|parts| parts.split(',').any(|p| p.trim() == name))
        .unwrap_or(true)
}

/// CPU seconds this process has used, every thread together (client and qoltanba-signer run in
/// it both): unlike wall time, hardly moved by other work on a shared machine. Linux only
/// (/proc/self/stat, in clock ticks of 10 ms); None elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split(' ').collect();
    let ticks = |i: usize| fields.get(i - 3)?.parse::<f64>().ok();
    Some((ticks(14)? + ticks(15)?) / 100.0)
}

/// `f`'s result and the CPU it took, in µs per document (NaN where unknown).
fn with_cpu<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let before = cpu_seconds();
    let out = f();
    let cpu = match (before, cpu_seconds()) {
        (Some(a), Some(b)) => us(b - a),
        _ => f64::NAN,
    };
    (out, cpu)
}

fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn document(i: usize) -> Vec<u8> {
    (0..SIZE).map(|j| ((i * 31 + j * 7) % 251) as u8).collect()
}

/// A store holding `DOCS` accepted documents of 100 KB (distinct bytes), seller BIN set, test
/// profile (test certificates allowed), the tests' fixed clock.
fn store_with_documents(dir: &std::path::Path, tag: &str) -> (Store, Vec<DocumentId>) {
    let options = OpenOptions {
        keychain: KeychainMode::File,
        ..support::options(support::fixed_clock())
    };
    let mut store = Store::open(dir, options).unwrap();
    store
        .set_setting(SettingKey::SellerBin, SELLER_BIN)
        .unwrap();
    store.set_setting(SettingKey::Profile, "test").unwrap();
    let ids = (0..DOCS)
        .map(|i| {
            let bytes = document(i + DOCS);
            let number = format!("{tag}-{i:05}");
            let mut f = DocumentFields::new(DocumentKind::SalesReport, format!("Отчёт № {number}"));
            f.number = Some(number.clone());
            f.recipient = Some(Party {
                bin: SELLER_BIN.into(),
                name: "ТОО «Продавец»".into(),
            });
            let a = Attachment {
                id: "att_1".into(),
                role: AttachmentRole::Main,
                file_name: "doc.pdf".into(),
                mime_type: "application/pdf".into(),
                size: bytes.len() as u64,
                sha256: sha256_hex(&bytes),
            };
            let (id, _) = store
                .add_document(NewDocument {
                    operator_id: Some(number),
                    origin: Origin::Operator,
                    fields: f,
                    attachments: vec![(a, bytes)],
                    text: format!("Отчёт о реализации {i}"),
                    text_note: None,
                    sender_signatures: vec![],
                })
                .unwrap();
            store.accept(id).unwrap();
            id
        })
        .collect();
    (store, ids)
}

/// Seconds spent in each stage of one run of the app's path.
#[derive(Default, Clone, Copy)]
struct Stages {
    /// Reading from the store (in-process path only; the protocol path reads while in flight).
    read: f64,
    /// Until the last signature came back (the protocol path: read, encode, transfer, sign).
    sign: f64,
    /// Checking every fresh signature, on all cores.
    check: f64,
    /// Keeping each (signature, history, outbox) in the store.
    keep: f64,
    total: f64,
}

/// The app's path with the CMS made in-process: read, sign on all cores, check once on all
/// cores, keep. The same steps `signing::sign_documents` takes around NCALayer.
fn app_path_in_process(store: &mut Store, ids: &[DocumentId], key: &Keystore) -> Stages {
    let t0 = Instant::now();
    let seller = Seller::new(SELLER_BIN, SellerKind::Bin);
    let ready: Vec<(DocumentId, Vec<u8>)> = ids
        .iter()
        .map(|&id| (id, signing::bytes_to_sign(store, id).unwrap()))
        .collect();
    let t_read = t0.elapsed().as_secs_f64();
    let per = ready.len().div_ceil(workers());
    let signatures: Vec<Vec<u8>> = std::thread::scope(|scope| {
        let parts: Vec<_> = ready
            .chunks(per)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(_, d)| qoltanba_signer::cms::sign(key, d, true).unwrap())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        parts.into_iter().flat_map(|p| p.join().unwrap()).collect()
    });
    let t_sign = t0.elapsed().as_secs_f64();
    // The store's fixed clock (support::fixed_clock).
    let now = Timestamp::parse("2026-11-01T09:00:00Z").unwrap();
    let pairs: Vec<(&Vec<u8>, &Vec<u8>)> = ready.iter().map(|(_, d)| d).zip(&signatures).collect();
    let gates: Vec<_> = std::thread::scope(|scope| {
        let parts: Vec<_> = pairs
            .chunks(per)
            .map(|part| {
                let seller = &seller;
                scope.spawn(move || {
                    part.iter()
                        .map(|(d, cms)| check_seller_verdict(cms, d, seller, now).unwrap())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        parts.into_iter().flat_map(|p| p.join().unwrap()).collect()
    });
    let t_check = t0.elapsed().as_secs_f64();
    for (((id, content), cms), (signer, verdict)) in ready.into_iter().zip(signatures).zip(gates) {
        let doc = store.document(id).unwrap();
        let payload = signing::decision_payload(&doc, &content, &cms);
        let sig = NewSignature {
            attachment_id: doc.main_attachment().map(|a| a.id.clone()),
            signed_sha256: sha256_hex(&content),
            cms,
            signer: Some(signer),
            verdict: Some(verdict),
        };
        store.record_own_signature(id, sig, payload).unwrap();
    }
    let total = t0.elapsed().as_secs_f64();
    Stages {
        read: t_read,
        sign: t_sign - t_read,
        check: t_check - t_sign,
        keep: total - t_check,
        total,
    }
}

/// The app's real path: `signing::sign_documents_reporting` through NCALayer's protocol.
async fn app_path_protocol(store: &mut Store, ids: &[DocumentId], nca: &NcaLayer) -> Stages {
    let options = signing::sign_options(store, store.seller().unwrap()).unwrap();
    let t0 = Instant::now();
    let (mut signed_at, mut first_kept) = (0.0, None);
    let out =
        signing::sign_documents_reporting(store, nca, ids, &options, CHUNK, &mut |p| match p {
            BatchProgress::Signed { .. } => signed_at = t0.elapsed().as_secs_f64(),
            BatchProgress::Kept { .. } => {
                first_kept.get_or_insert(t0.elapsed().as_secs_f64());
            }
        })
        .await
        .unwrap();
    let total = t0.elapsed().as_secs_f64();
    assert!(out.iter().all(|o| o.signed), "{:?}", out[0].error);
    let first_kept = first_kept.unwrap_or(total);
    // The first Kept comes after the check of all and one keep: one keep moved to "keep".
    let keep_one = (total - first_kept) / (ids.len().max(2) - 1) as f64;
    Stages {
        read: 0.0,
        sign: signed_at,
        check: first_kept - signed_at - keep_one,
        keep: total - first_kept + keep_one,
        total,
    }
}

async fn serve(key: Keystore, fixed_cms: Option<Vec<u8>>) -> (Running, NcaLayer) {
    let identity = TlsIdentity::generate().unwrap();
    let pin = identity.sha256_hex();
    let mut server = Server::new(vec![key]).tls(identity).confirm(Confirm::Auto);
    if let Some(der) = fixed_cms {
        server = server.fixed_cms(der);
    }
    let running = server.spawn().await.unwrap();
    let mut settings = Settings::new(Pinning::pin_from_hex(&pin).unwrap());
    settings.url = running.url();
    let nca = NcaLayer::new(settings).unwrap();
    (running, nca)
}

fn test_options() -> SignOptions {
    SignOptions {
        allow_test_certificates: true,
        ..SignOptions::default()
    }
}

/// Documents/s of `sign_batch` (signing alone through the protocol), after one warm-up request,
/// and its CPU (µs per document, both sides).
async fn batch_rate(nca: &NcaLayer, docs: &[Vec<u8>]) -> (f64, f64) {
    let options = test_options();
    nca.sign_cms(&docs[0], false, &options).await.unwrap();
    let refs: Vec<&[u8]> = docs.iter().map(|d| d.as_slice()).collect();
    let (t, cpu) = (Instant::now(), cpu_seconds());
    let out = nca.sign_batch(&refs, CHUNK, &options).await;
    let rate = docs.len() as f64 / t.elapsed().as_secs_f64();
    let cpu = match (cpu, cpu_seconds()) {
        (Some(a), Some(b)) => us(b - a),
        _ => f64::NAN,
    };
    assert!(out.iter().all(|r| r.is_ok()));
    (rate, cpu)
}

/// Documents/s of in-process signing alone, on all cores, and its CPU (µs per document).
fn in_process_rate(key: &Keystore, docs: &[Vec<u8>]) -> (f64, f64) {
    let t = Instant::now();
    let ((), cpu) = with_cpu(|| {
        std::thread::scope(|scope| {
            for part in docs.chunks(docs.len().div_ceil(workers())) {
                scope.spawn(move || {
                    for d in part {
                        qoltanba_signer::cms::sign(key, d, true).unwrap();
                    }
                });
            }
        })
    });
    (docs.len() as f64 / t.elapsed().as_secs_f64(), cpu)
}

fn us(seconds: f64) -> f64 {
    seconds * 1e6 / DOCS as f64
}

fn line(figure: &str, ours: f64, floor: Option<(f64, &str)>, unit: &str, aim: Option<f64>) {
    let better = if unit == "documents/s" {
        Better::Higher
    } else {
        Better::Lower
    };
    Figure {
        area: "signing",
        figure,
        documents: None,
        ours,
        floor,
        unit,
        better,
        aim,
    }
    .print();
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let m: Manifest = testkeys::generate_at(
        dir.path(),
        testkeys::DEFAULT_PASSWORD,
        datetime!(2026-11-01 09:00 UTC),
    )
    .unwrap();
    let open = |role: &str| Keystore::open(m.path(role), &m.password).unwrap();
    let docs: Vec<Vec<u8>> = (0..DOCS).map(document).collect();

    // The client's own share, single-threaded: encoding every request.
    let t = Instant::now();
    for part in docs.chunks(CHUNK) {
        let refs: Vec<&[u8]> = part.iter().map(|d| d.as_slice()).collect();
        std::hint::black_box(Prepared::detached_cms(&refs, &test_options()));
    }
    let encode_us = us(t.elapsed().as_secs_f64());
    println!("encode: {encode_us:.1} µs/document (base64 into the request, one thread)");

    for (role, name) in [
        ("employee_sign", "RSA-2048"),
        ("employee_sign_gost", "GOST-2015-512"),
    ] {
        let key_part = if role == "employee_sign" {
            "rsa"
        } else {
            "gost"
        };
        if !part(key_part) {
            continue;
        }
        let key = open(role);
        let (running, nca) = rt.block_on(serve(open(role), None));
        // These machines are shared: each figure is the best of `rounds()` runs, ours and the
        // floor taking turns, so a burst of someone else's work does not decide a ratio.
        let (mut alone, mut floor_alone) = (0f64, 0f64);
        // CPU per document, the least of the runs: signing alone, ours and in-process.
        let (mut alone_cpu, mut floor_alone_cpu) = (f64::INFINITY, f64::INFINITY);
        let (mut ours_cpu, mut floor_cpu) = (f64::INFINITY, f64::INFINITY);
        let (mut ours, mut floor) = (Stages::default(), Stages::default());
        for _ in 0..rounds() {
            let (rate, cpu) = in_process_rate(&key, &docs);
            (floor_alone, floor_alone_cpu) = (floor_alone.max(rate), floor_alone_cpu.min(cpu));
            let (rate, cpu) = rt.block_on(batch_rate(&nca, &docs));
            (alone, alone_cpu) = (alone.max(rate), alone_cpu.min(cpu));
            // The app's path, each in a store of its own.
            let floor_dir = tempfile::tempdir().unwrap();
            let (mut floor_store, floor_ids) = store_with_documents(floor_dir.path(), "F");
            let (f, cpu) = with_cpu(|| app_path_in_process(&mut floor_store, &floor_ids, &key));
            floor_cpu = floor_cpu.min(cpu);
            drop(floor_store);
            drop(floor_dir);
            let ours_dir = tempfile::tempdir().unwrap();
            let (mut ours_store, ours_ids) = store_with_documents(ours_dir.path(), "P");
            let (o, cpu) =
                with_cpu(|| rt.block_on(app_path_protocol(&mut ours_store, &ours_ids, &nca)));
            ours_cpu = ours_cpu.min(cpu);
            drop(ours_store);
            drop(ours_dir);
            if floor.total == 0.0 || f.total < floor.total {
                floor = f;
            }
            if ours.total == 0.0 || o.total < ours.total {
                ours = o;
            }
        }
        assert_eq!(
            running.signed() as usize,
            rounds() * (1 + 2 * DOCS),
            "each document sent once"
        );
        rt.block_on(running.shutdown());

        let (rate, floor_rate) = (DOCS as f64 / ours.total, DOCS as f64 / floor.total);
        println!(
            "{name} app path (sign, check once, keep), {DOCS} x {} KB, {CHUNK} per request: protocol {rate:.0} documents/s; in-process {floor_rate:.0} documents/s; ratio {:.2}",
            SIZE / 1024,
            rate / floor_rate
        );
        println!(
            "  µs/document  protocol: sign (read+encode+transfer+sign) {:.0}, check {:.0}, keep {:.0}, total {:.0}",
            us(ours.sign), us(ours.check), us(ours.keep), us(ours.total)
        );
        println!(
            "  µs/document in-process: read {:.0}, sign {:.0}, check {:.0}, keep {:.0}, total {:.0}",
            us(floor.read), us(floor.sign), us(floor.check), us(floor.keep), us(floor.total)
        );
        println!(
            "{name} signing alone: protocol {alone:.0} documents/s ({:.0} µs/document), in-process {floor_alone:.0} documents/s ({:.0} µs/document); ratio {:.2}",
            1e6 / alone,
            1e6 / floor_alone,
            alone / floor_alone
        );
        // CPU is what two sides on the same cores share: the protocol's own cost shows here
        // even when the wall-clock figures are blurred by other work on the machine.
        println!(
            "{name} CPU µs/document (every thread, both sides; least of the runs): app path protocol {ours_cpu:.0}, in-process {floor_cpu:.0}, protocol's share {:.0}; signing alone protocol {alone_cpu:.0}, in-process {floor_alone_cpu:.0}, protocol's share {:.0}",
            ours_cpu - floor_cpu,
            alone_cpu - floor_alone_cpu
        );
        line(
            &format!("app path through the protocol (sign, check once, keep), {name}, {DOCS} × {} KB, {CHUNK} per request", SIZE / 1024),
            rate,
            Some((floor_rate, "the same path with the CMS made in-process, same key, same cores")),
            "documents/s",
            Some(0.85 * floor_rate),
        );
        line(
            &format!("signing alone through the protocol (client + qoltanba-signer over pinned TLS), {name}, {CHUNK} per request"),
            alone,
            Some((floor_alone, "the same CMS made in-process with the same key, same cores")),
            "documents/s",
            // The aim (≥ 0.85) is the app's path above, what the user waits for; this
            // line is its breakdown. The transport (TLS, base64, framing of 100 KB: the
            // "transport only" CPU line) is a cost per document that in-process signing never
            // pays, larger than RSA-2048's own signature here.
            None,
        );
        line(
            &format!("{name} app path, CPU µs per document (every thread, client and signer)"),
            ours_cpu,
            Some((floor_cpu, "the same path with the CMS made in-process")),
            "µs/document",
            None,
        );
        for (stage, ours, floor) in [
            (
                "sign (protocol: read, encode, transfer, sign)",
                ours.sign,
                floor.read + floor.sign,
            ),
            ("check once, all cores", ours.check, floor.check),
            ("keep (signature, history, outbox)", ours.keep, floor.keep),
        ] {
            line(
                &format!("{name} app path, µs per document: {stage}"),
                us(ours),
                Some((us(floor), "the same stage of the in-process path")),
                "µs/document",
                None,
            );
        }
    }

    if part("transport") {
        transport_only(&rt, &open, &docs, encode_us);
    }
    if part("latency") {
        latency(&rt, &open, &docs);
    }
}

/// The protocol with the signing taken out: qoltanba-signer answering a fixed CMS.
fn transport_only(
    rt: &tokio::runtime::Runtime,
    open: &dyn Fn(&str) -> Keystore,
    docs: &[Vec<u8>],
    encode_us: f64,
) {
    let fixed = qoltanba_signer::cms::sign(&open("employee_sign"), b"fixed", true).unwrap();
    let (running, nca) = rt.block_on(serve(open("employee_sign"), Some(fixed)));
    let (mut transport, mut transport_cpu) = (0f64, f64::INFINITY);
    for _ in 0..rounds() {
        let (rate, cpu) = rt.block_on(batch_rate(&nca, docs));
        (transport, transport_cpu) = (transport.max(rate), transport_cpu.min(cpu));
    }
    println!(
        "transport only (encode, TLS, decode, fixed CMS back, parse): {transport:.0} documents/s, {:.0} µs/document; CPU {transport_cpu:.0} µs/document (both sides)",
        1e6 / transport
    );
    line(
        "transport only, CPU µs per document (client and signer, every thread)",
        transport_cpu,
        None,
        "µs/document",
        None,
    );
    line(
        &format!(
            "transport only: qoltanba-signer answering a fixed CMS, {CHUNK} × {} KB per request",
            SIZE / 1024
        ),
        transport,
        None,
        "documents/s",
        None,
    );
    line(
        "client encode (base64 into the request), one thread, µs per document",
        encode_us,
        None,
        "µs/document",
        None,
    );
    rt.block_on(running.shutdown());
}

/// One document per request: the latency a user waits for a single signature.
fn latency(rt: &tokio::runtime::Runtime, open: &dyn Fn(&str) -> Keystore, docs: &[Vec<u8>]) {
    let (median, p95) = rt.block_on(async {
        let (running, nca) = serve(open("employee_sign"), None).await;
        let options = test_options();
        nca.sign_cms(&docs[0], false, &options).await.unwrap();
        let mut lat: Vec<Duration> = Vec::new();
        for d in docs.iter().take(200) {
            let t = Instant::now();
            nca.sign_cms(d, false, &options).await.unwrap();
            lat.push(t.elapsed());
        }
        lat.sort();
        running.shutdown().await;
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        (ms(lat[lat.len() / 2]), ms(lat[lat.len() * 95 / 100]))
    });
    println!("single one-document sign over the protocol: median {median:.2} ms, p95 {p95:.2} ms");
    line(
        "one document signed over the protocol, median",
        median,
        None,
        "ms",
        None,
    );
}
