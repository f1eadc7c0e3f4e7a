#![no_main]
// Drives qoltanba_core::fuzzing::cms (the same function core's tests/fuzz_corpus.rs replays).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = qoltanba_core::fuzzing::cms(data);
});
