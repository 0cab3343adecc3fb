//! The quiz core shared by the generator and the in-browser engine: the checked quiz model,
//! answer normalisation, canonical responses and the salted answer keys that let a page check
//! answers without holding them in plain text. `no_std` with `alloc`, so it compiles to a
//! WebAssembly 1.0 module as well as natively, where it is tested.
#![no_std]

extern crate alloc;

pub mod argon2;
pub mod blake2b;
pub mod code;
pub mod gate;
pub mod gf128;
pub mod key;
pub mod model;
pub mod normalize;
pub mod progress;
pub mod qr;
pub mod sealed;

pub use model::{Mode, PassMark, Question, QuestionKind, Quiz};
