//! The in-browser quiz engine: hydrates the quiz forms the generator writes into lesson pages.
//!
//! Empty until the quiz-engine work lands; the generator already writes the server-rendered
//! form that this crate will bring to life.
