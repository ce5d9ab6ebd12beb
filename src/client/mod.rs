//! Watching and cancelling from the client side (feature `client`): one
//! poller for Google-style long-running operations, over gRPC or REST, and
//! one poller and canceller for Arrow Flight queries, with the same
//! policies and one trait, [`Watch`], over both.
//!
//! | piece | what it does |
//! |---|---|
//! | [`Operations`] + [`OperationPoller`] | `GetOperation` (or `WaitOperation` where the server has it, learned once per client) until `done`; typed response `R` and metadata `M`; `resume(name)`; `cancel()` sends `CancelOperation` and polls to the final state |
//! | [`OperationsTransport`] | the gRPC stubs of the `grpc` feature ([`OperationsClient`](crate::longrunning::operations_client::OperationsClient)), or [`RestOperations`] on any `tower::Service` of HTTP |
//! | [`FlightQueries`] + [`FlightPoller`] | `PollFlightInfo` until complete, checked with [`crate::poll::PollInfoSequence`]; `GetFlightInfo` when the server has no `PollFlightInfo`; a best-effort cancel at the deadline or on drop |
//! | [`FlightCanceller`] | `CancelFlightInfo` with Flight's `CancelStatus` rules |
//! | [`PollOptions`] | polling backoff, retry backoff, [`ErrorPolicy`], attempt and time limits, per-call timeout, deadline; per client (`with_options` on the client) and per poller (`with_options` on the poller) |
//! | [`Watch`] | `poll()`, `until_done()`, `into_stream()`, `cancel()`, `name()` for both protocols |
//!
//! The schedule, for an operation that takes 10 s and the default
//! options: polls at 0, 1, 3, 7 and 15 s (waits of 1, 2, 4, 8 s, doubling
//! up to 60 s, without jitter); a call that fails with `UNAVAILABLE` is
//! retried after a wait drawn from [0, 1 s], then [0, 2 s], ... (full
//! jitter); any other error ends the loop (AIP-194, strictly).
//!
//! ```no_run
//! use cancelwire::client::{CancelOutcome, FlightGrpc, FlightQueries, Operations, PollOptions, Watch};
//! use cancelwire::flight::FlightDescriptor;
//! use cancelwire::longrunning::operations_client::OperationsClient;
//! use cancelwire::wkt::{DoubleValue, Timestamp};
//! use std::time::Duration;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:50051").connect().await?;
//! let options = PollOptions::default().with_deadline(Duration::from_secs(120));
//!
//! // A Google-style operation: response Timestamp, metadata DoubleValue.
//! let operations = Operations::new(OperationsClient::new(channel.clone())).with_options(options.clone());
//! let done_at: Timestamp = operations.resume::<Timestamp, DoubleValue>("projects/demo/operations/op-1").until_done().await?;
//!
//! // Another one, cancelled: cancelled, or completed despite it.
//! match operations.resume::<Timestamp, DoubleValue>("projects/demo/operations/op-2").cancel().await? {
//!     CancelOutcome::Cancelled => println!("cancelled"),
//!     CancelOutcome::Completed(at) => println!("completed anyway at {at}"),
//!     other => println!("{other:?}"),
//! }
//!
//! // A Flight query, polled to completion.
//! let flights = FlightQueries::new(FlightGrpc::new(channel)).with_options(options);
//! let info = flights.poll(FlightDescriptor::command("SELECT 1")).until_done().await?;
//! # let _ = (done_at, info); Ok(()) }
//! ```

mod error;
mod flight;
mod operations;
mod policy;
mod rest;
mod schedule;
mod watch;

pub use error::{BestEffortCancel, CallError, ClientError, Limit};
pub use flight::{FlightCanceller, FlightGrpc, FlightPoller, FlightQueries, FlightTransport};
pub use operations::{OperationPoller, Operations, OperationsTransport};
pub use policy::{
    DEFAULT_CANCEL_ATTEMPTS, ErrorPolicy, PolicyError, PollOptions, PollingBackoff, RetryBackoff,
};
pub use rest::RestOperations;
pub use watch::{CancelOutcome, PollStream, PollingResult, Watch};
