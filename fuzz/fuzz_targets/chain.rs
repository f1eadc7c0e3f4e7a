#![no_main]
// Drives qoltanba_core::fuzzing::chain (the same function core's tests/fuzz_corpus.rs replays):
// chain building over a hostile certificate pool, held to its signature-check budget.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = qoltanba_core::fuzzing::chain(data);
});
