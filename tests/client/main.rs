//! The pollers and cancellers of `cancelwire::client`: their exact
//! schedules on a paused clock (`paused`, against the in-process servers
//! of `scripted`), and real peers started by the tests themselves
//! (`peers`).

// Tests state their expectations with unwrap, expect, panic and indexing,
// which the crate's [lints] deny in code that handles input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod paused;
mod peers;
mod scripted;
