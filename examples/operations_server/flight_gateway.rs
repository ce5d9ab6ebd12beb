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

/// What the gateway knows of one query.
struct Watched {
    /// The descriptor to poll with next; `None` once complete.
    retry: Option<FlightDescriptor>,
    /// The operation last answered.
    last: Operation,
}

pub struct FlightGateway {
    client: FlightServiceClient<Channel>,
    watched: Mutex<HashMap<String, Watched>>,
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
            watched: Mutex::new(HashMap::new()),
        })
    }

    /// The Flight command of an operation name of this gateway's scheme.
    pub fn command_of(name: &str) -> Option<&str> {
        name.split_once(MARKER)
            .map(|(_, cmd)| cmd)
            .filter(|cmd| !cmd.is_empty())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Watched>> {
        self.watched
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// GetOperation: polls the query once more unless it is done.
    pub async fn get(&self, name: &str) -> Result<Operation, Status> {
        let cmd = Self::command_of(name)
            .ok_or_else(|| Status::not_found(format!("operation `{name}` does not exist")))?;
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
                watched.insert(
                    name.to_owned(),
                    Watched {
                        retry,
                        last: op.clone(),
                    },
                );
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
