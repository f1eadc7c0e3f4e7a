//! One machine-readable line per figure, beside each benchmark's own words, so that
//! `./dev.sh benchmarks` (benches/report.py) can put every figure into docs/BENCHMARKS.md with its
//! floor. Included by path from each benchmark (`#[path = ".../benches/report_line.rs"]`).
//!
//! The line: `BENCH<TAB>area<TAB>figure<TAB>documents<TAB>ours<TAB>floor<TAB>unit<TAB>better
//! <TAB>aim<TAB>floor's name`, with `-` for what does not apply.

/// Whether a larger value is better (a rate) or a smaller one (a time, memory).
#[allow(dead_code)]
#[derive(Clone, Copy)]
pub enum Better {
    Higher,
    Lower,
}

/// One figure: `ours` and `floor` in `unit`; `aim` in the same unit (met when ours is on the
/// better side of it); `documents` the size of the data it was measured on.
pub struct Figure<'a> {
    pub area: &'a str,
    pub figure: &'a str,
    pub documents: Option<usize>,
    pub ours: f64,
    pub floor: Option<(f64, &'a str)>,
    pub unit: &'a str,
    pub better: Better,
    pub aim: Option<f64>,
}

impl Figure<'_> {
    pub fn print(&self) {
        let clean = |s: &str| s.replace(['\t', '\n'], " ");
        let num = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.6}"));
        println!(
            "BENCH\t{}\t{}\t{}\t{:.6}\t{}\t{}\t{}\t{}\t{}",
            clean(self.area),
            clean(self.figure),
            self.documents.map_or("-".to_string(), |n| n.to_string()),
            self.ours,
            num(self.floor.map(|f| f.0)),
            clean(self.unit),
            match self.better {
                Better::Higher => "higher",
                Better::Lower => "lower",
            },
            num(self.aim),
            self.floor.map_or("-".to_string(), |f| clean(f.1)),
        );
    }
}
