//! Signing benchmark (issue #3): 1,000 documents of 100 KB signed through the core's NCALayer
//! client and qoltanba-signer over TLS with a pinned certificate (auto confirm), beside the same
//! documents signed in-process with the same key, in one run; plus the latency of a single
//! one-document request (median, p95). `cargo bench -p qoltanba-core --bench signing`.

#[path = "../../../benches/report_line.rs"]
mod report_line;

use qoltanba_core::ncalayer::{NcaLayer, Pinning, Settings, SignOptions};
use qoltanba_signer::confirm::Confirm;
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::server::Server;
use qoltanba_signer::tls::TlsIdentity;
use report_line::{Better, Figure};
use std::time::{Duration, Instant};

const DOCS: usize = 1000;
const SIZE: usize = 100 * 1024;
const CHUNK: usize = 50;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let manifest = qoltanba_signer::testkeys::generate(dir.path(), "Qwerty12").unwrap();
    let key = Keystore::open(manifest.path("employee_sign"), "Qwerty12").unwrap();
    let docs: Vec<Vec<u8>> = (0..DOCS)
        .map(|i| (0..SIZE).map(|j| ((i * 31 + j * 7) % 251) as u8).collect())
        .collect();

    // In-process floor: the same CMS built by the same code with the same key, on as many cores
    // as the signing service uses for a batch.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t = Instant::now();
    std::thread::scope(|scope| {
        for part in docs.chunks(DOCS.div_ceil(workers)) {
            let key = &key;
            scope.spawn(move || {
                for d in part {
                    qoltanba_signer::cms::sign(key, d, true).unwrap();
                }
            });
        }
    });
    let floor = DOCS as f64 / t.elapsed().as_secs_f64();

    let (rate, median, p95) = rt.block_on(async {
        let identity = TlsIdentity::generate().unwrap();
        let pin = identity.sha256_hex();
        let running = Server::new(vec![Keystore::open(
            manifest.path("employee_sign"),
            "Qwerty12",
        )
        .unwrap()])
        .tls(identity)
        .confirm(Confirm::Auto)
        .spawn()
        .await
        .unwrap();
        let mut settings = Settings::new(Pinning::pin_from_hex(&pin).unwrap());
        settings.url = running.url();
        let nca = NcaLayer::new(settings).unwrap();
        let options = SignOptions {
            allow_test_certificates: true,
            ..SignOptions::default()
        };
        // Warm the connection (TLS handshake, greeting) before timing.
        nca.sign_cms(&docs[0], false, &options).await.unwrap();
        let t = Instant::now();
        for part in docs.chunks(CHUNK) {
            let refs: Vec<&[u8]> = part.iter().map(|d| d.as_slice()).collect();
            let sigs = nca.sign_cms_many(&refs, false, &options).await.unwrap();
            assert_eq!(sigs.len(), part.len());
        }
        let rate = DOCS as f64 / t.elapsed().as_secs_f64();
        let mut lat: Vec<Duration> = Vec::new();
        for d in docs.iter().take(200) {
            let t = Instant::now();
            nca.sign_cms(d, false, &options).await.unwrap();
            lat.push(t.elapsed());
        }
        lat.sort();
        running.shutdown().await;
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        (rate, ms(lat[lat.len() / 2]), ms(lat[lat.len() * 95 / 100]))
    });
    println!(
        "sign {DOCS} x {} KB: protocol path (client + qoltanba-signer, TLS, {CHUNK} per request) {rate:.0} documents/s; in-process {floor:.0} documents/s; protocol/in-process = {:.2}",
        SIZE / 1024,
        rate / floor
    );
    println!("single one-document sign over the protocol: median {median:.2} ms, p95 {p95:.2} ms");
    let batch = format!(
        "batch signing, {DOCS} × {} KB, {CHUNK} per request (client + qoltanba-signer over pinned TLS)",
        SIZE / 1024
    );
    Figure {
        area: "signing",
        figure: &batch,
        documents: None,
        ours: rate,
        floor: Some((
            floor,
            "the same CMS made in-process with the same key, same cores",
        )),
        unit: "documents/s",
        better: Better::Higher,
        // The aim of issue #3: the protocol path at ≥ 0.85 of in-process signing.
        aim: Some(0.85 * floor),
    }
    .print();
    Figure {
        area: "signing",
        figure: "one document signed over the protocol, median",
        documents: None,
        ours: median,
        floor: None,
        unit: "ms",
        better: Better::Lower,
        aim: None,
    }
    .print();
}
