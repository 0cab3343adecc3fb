//! The assessment gate's reader on any bytes (a page may be tampered with): it never panics;
//! a gate it reads encodes back to the same bytes, asks no box for more than the full
//! Argon2id cost, and its candidates and subset walk stay within the gate.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sabaq_quiz::gate::{Gate, Search};

fuzz_target!(|bytes: &[u8]| {
    let Some(gate) = Gate::decode(bytes) else {
        return;
    };
    assert_eq!(gate.encode(), bytes);
    assert!(
        u64::from(gate.box_argon.memory_kib) * u64::from(gate.box_argon.passes) <= 8 * 1024 * 3
    );
    let salt = [7u8; 16];
    let candidates: Vec<Option<[u8; 16]>> = (0..gate.questions.len() + 1)
        .map(|q| gate.candidate(&salt, q, "c:0"))
        .collect();
    assert!(candidates.last().unwrap().is_none());
    let mut search = Search::new(&gate, &candidates);
    while let Some(to_open) = search.next_box() {
        assert!(to_open.block.end <= gate.boxes.len());
        assert_eq!(to_open.subset.len(), usize::from(gate.threshold));
    }
});
