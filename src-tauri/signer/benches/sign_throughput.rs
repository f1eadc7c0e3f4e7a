//! In-process signing throughput: 1,000 documents of 100 KB signed as detached CMS with the
//! RSA-2048 test key (and, for comparison, the EC P-256 and GOST-2015-512 keys and enveloped XML). Plain timing
//! code; the figure is the floor a later protocol benchmark (over the WebSocket) is compared with.
//!
//! Run: `cargo bench --workspace --locked --features qoltanba-core/test-gost-signer
//! --bench sign_throughput`

use std::time::Instant;

use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::{cms, testkeys, xmldsig};

const DOCS: usize = 1_000;
const SIZE: usize = 100 * 1024;

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = testkeys::generate(dir.path(), "bench").expect("test keys");
    let documents: Vec<Vec<u8>> = (0..DOCS)
        .map(|i| (0..SIZE).map(|j| ((i * 31 + j * 7) % 251) as u8).collect())
        .collect();

    for role in ["employee_sign", "employee_sign_ec", "employee_sign_gost"] {
        let key = Keystore::open(manifest.path(role), "bench").expect("open key");
        let started = Instant::now();
        let mut bytes = 0usize;
        for doc in &documents {
            bytes += cms::sign(&key, doc, true).expect("sign").len();
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "cms detached {role:<17} {DOCS} docs x {} KB: {:.3} s, {:.0} docs/s, {:.1} MB/s hashed, avg signature {} B",
            SIZE / 1024,
            secs,
            DOCS as f64 / secs,
            (DOCS * SIZE) as f64 / secs / 1e6,
            bytes / DOCS
        );
    }

    let key = Keystore::open(manifest.path("employee_sign"), "bench").expect("open key");
    let xml_docs: Vec<String> = (0..DOCS)
        .map(|i| {
            let rows: String = (0..1_000)
                .map(|r| format!("<row n=\"{r}\">item {i}-{r} &amp; 1000.00 KZT</row>\n"))
                .collect();
            format!("<act number=\"{i}\">\n{rows}</act>")
        })
        .collect();
    let started = Instant::now();
    for doc in &xml_docs {
        xmldsig::sign_enveloped(&key, doc).expect("sign xml");
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "xml enveloped employee_sign     {DOCS} docs x ~{} KB: {:.3} s, {:.0} docs/s",
        xml_docs[0].len() / 1024,
        secs,
        DOCS as f64 / secs
    );
}
