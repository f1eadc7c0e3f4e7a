#![no_main]
// Drives qoltanba_core::fuzzing::refusal_notice (the same function core's tests/fuzz_corpus.rs replays).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = qoltanba_core::fuzzing::refusal_notice(data);
});
