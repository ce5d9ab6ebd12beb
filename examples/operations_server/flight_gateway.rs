//! A Google-style front for Flight queries (`--flight URI`): GetOperation on
//! `{parent}/operations/flight-{cmd}` polls the Flight server at URI with
//! `PollFlightInfo` and answers the operation `cancelwire::poll` makes of
//! the answer; CancelOperation sends the `CancelFlightInfo` action and
//! answers as `cancelwire::cancel` says.
//!
//! The first GetOperation of a name starts the query (a `CMD` descriptor
//! whose command is the text after `flight-`); later ones poll with the
//! descriptor the last `PollInfo` gave. The name stays the gateway's, whatever
//! descriptors the Flight server hands out. Once the operation is done the
//! gateway answers it from memory: a done operation never changes.
//!
//! What it remembers is bounded: at most [`MAX_WATCHED`] queries. Past that
//! the done ones go first, oldest first, then the oldest still running, so a
//! client asking for ever new names cannot grow the gateway without end; a
//! query the Flight server no longer knows (NOT_FOUND) is forgotten at once.

use crate::store::quoted;
use arrow_flight::flight_service_client::FlightServiceClient;
use cancelwire::cancel::answer_cancel_operation;
use cancelwire::flight::{
    CancelFlightInfoRequest, CancelStatus, FlightAction, FlightDescriptor, PollInfo,
};
use cancelwire::longrunning::Operation;
use cancelwire::poll::{operation_from_poll_error, operation_from_poll_info};
use cancelwire::rpc::{Code, Status};
use std::collections::HashMap;
use std::sync::Mutex;
use tonic::transport::{Channel, Endpoint};

/// The part of an operation name that marks a Flight query.
const MARKER: &str = "/operations/flight-";

/// The most queries the gateway remembers.
pub const MAX_WATCHED: usize = 1024;

/// What the gateway knows of one query.
struct Watched {
    /// The descriptor to poll with next; `None` once complete.
    retry: Option<FlightDescriptor>,
    /// The operation last answered.
    last: Operation,
    /// When it was first watched, in insertions: lower is older.
    since: u64,
}

/// The queries remembered, bounded by [`MAX_WATCHED`].
#[derive(Default)]
struct WatchList {
    queries: HashMap<String, Watched>,
    insertions: u64,
}

impl WatchList {
    fn get(&self, name: &str) -> Option<&Watched> {
        self.queries.get(name)
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut Watched> {
        self.queries.get_mut(name)
    }

    /// Records the latest answer for `name`, evicting others past the cap.
    fn record(&mut self, name: &str, retry: Option<FlightDescriptor>, last: Operation) {
        if let Some(watched) = self.queries.get_mut(name) {
            watched.retry = retry;
            watched.last = last;
            return;
        }
        if self.queries.len() >= MAX_WATCHED {
            self.evict();
        }
        self.insertions += 1;
        self.queries.insert(
            name.to_owned(),
            Watched {
                retry,
                last,
                since: self.insertions,
            },
        );
    }

    /// Drops a quarter of the entries: done ones first, then the oldest.
    fn evict(&mut self) {
        let mut order: Vec<(bool, u64, String)> = self
            .queries
            .iter()
            .map(|(name, watched)| (!watched.last.done, watched.since, name.clone()))
            .collect();
        order.sort_unstable();
        let keep = MAX_WATCHED - MAX_WATCHED / 4;
        let drop = self.queries.len().saturating_sub(keep);
        for (_, _, name) in order.into_iter().take(drop) {
            self.queries.remove(&name);
        }
    }

    fn forget(&mut self, name: &str) {
        self.queries.remove(name);
    }
}

pub struct FlightGateway {
    client: FlightServiceClient<Channel>,
    watched: Mutex<WatchList>,
}

/// A `google.rpc.Status` from a tonic one, details included when they decode.
fn from_tonic(status: &tonic::Status) -> Status {
    Status::try_from(status).unwrap_or_else(|_| {
        Status::new(
            Code::from_i32(status.code() as i32),
            status.message().to_owned(),
        )
    })
}

impl FlightGateway {
    /// A gateway to the Flight server at `uri`; connects on first use.
    pub fn new(uri: &str) -> Result<Self, String> {
        let channel = Endpoint::from_shared(uri.to_owned())
            .map_err(|e| format!("--flight {uri}: {e}"))?
            .connect_lazy();
        Ok(Self {
            client: FlightServiceClient::new(channel),
            watched: Mutex::new(WatchList::default()),
        })
    }

    /// The Flight command of an operation name of this gateway's scheme.
    pub fn command_of(name: &str) -> Option<&str> {
        name.split_once(MARKER)
            .map(|(_, cmd)| cmd)
            .filter(|cmd| !cmd.is_empty())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, WatchList> {
        self.watched
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// GetOperation: polls the query once more unless it is done.
    pub async fn get(&self, name: &str) -> Result<Operation, Status> {
        let cmd = Self::command_of(name).ok_or_else(|| {
            Status::not_found(format!("operation {} does not exist", quoted(name)))
        })?;
        let (descriptor, previous) = match self.lock().get(name) {
            Some(watched) if watched.last.done => return Ok(watched.last.clone()),
            Some(watched) => (
                watched
                    .retry
                    .clone()
                    .unwrap_or_else(|| FlightDescriptor::command(cmd.to_owned())),
                Some(watched.last.clone()),
            ),
            None => (FlightDescriptor::command(cmd.to_owned()), None),
        };
        let answer = self
            .client
            .clone()
            .poll_flight_info(arrow_flight::FlightDescriptor::from(descriptor))
            .await;
        let (retry, op) = match answer {
            Ok(response) => {
                let poll = PollInfo::from(response.into_inner());
                (
                    poll.flight_descriptor.clone(),
                    operation_from_poll_info(name, &poll),
                )
            }
            Err(error) if error.code() == tonic::Code::NotFound => {
                // The Flight server does not know the query (any more):
                // nothing to remember, and the next GET starts it afresh.
                self.lock().forget(name);
                return operation_from_poll_error(name, from_tonic(&error));
            }
            Err(error) => {
                let mut op = operation_from_poll_error(name, from_tonic(&error))?;
                // Keep the last progress and FlightInfo the query showed.
                op.metadata = previous.and_then(|previous| previous.metadata);
                (None, op)
            }
        };
        let mut watched = self.lock();
        match watched.get(name) {
            // Another call finished it meanwhile: its answer stands.
            Some(other) if other.last.done => Ok(other.last.clone()),
            _ => {
                watched.record(name, retry, op.clone());
                Ok(op)
            }
        }
    }

    /// CancelOperation: `CancelFlightInfo` with the FlightInfo so far.
    pub async fn cancel(&self, name: &str) -> Result<(), Status> {
        let last = self.get(name).await?;
        if last.done {
            return Ok(()); // a finished operation keeps its outcome
        }
        let info = last
            .metadata_as::<PollInfo>()
            .ok()
            .flatten()
            .and_then(|poll| poll.info)
            .unwrap_or_default();
        let action = CancelFlightInfoRequest {
            info: Some(info),
            ..Default::default()
        }
        .to_action();
        let mut results = self
            .client
            .clone()
            .do_action(arrow_flight::Action::from(action))
            .await
            .map_err(|e| from_tonic(&e))?
            .into_inner();
        let result = results
            .message()
            .await
            .map_err(|e| from_tonic(&e))?
            .ok_or_else(|| Status::unavailable("CancelFlightInfo answered no Result"))?;
        let status = CancelFlightInfoRequest::response_from_result(&result.into())
            .map_err(|e| Status::internal(e.to_string()))?
            .status();
        if status == CancelStatus::CANCELLED
            && let Some(watched) = self.lock().get_mut(name)
        {
            // AIP-151: it stays, done, with code CANCELLED.
            let _ = watched.last.cancel("cancelled through the Flight gateway");
        }
        match answer_cancel_operation(status) {
            Code::OK => Ok(()),
            code => Err(Status::new(
                code,
                format!("CancelFlightInfo answered {status}"),
            )),
        }
    }
}
