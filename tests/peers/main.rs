//! Real peers in one test binary: arrow-flight's client and server against
//! the examples and the crate's helpers, and tonic's gRPC client against
//! the operations example's service.

// Tests state their expectations with unwrap, expect, panic and indexing,
// which the crate's [lints] deny in code that handles input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod example_servers;
mod flight_interop;
mod operations_grpc;
mod poll_interop;
mod rest_http;

// The operations example's modules, which refer to each other from the
// crate root. The Flight front is not used in process (no Flight server);
// tests/interop/google_operations.py drives it.
#[allow(dead_code)]
#[path = "../../examples/operations_server/flight_gateway.rs"]
mod flight_gateway;
#[path = "../../examples/operations_server/grpc.rs"]
mod grpc;
#[path = "../../examples/operations_server/store.rs"]
mod store;
