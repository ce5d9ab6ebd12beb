//! In-process servers for the paused-clock tests: an operation with a
//! timeline (done at a given time, cancellable or not, with or without
//! WaitOperation) and a Flight server that answers from a script. Each one
//! logs every call with the time it arrived, so a test checks the exact
//! schedule the poller followed.

use cancelwire::client::{CallError, FlightTransport, OperationsTransport};
use cancelwire::flight::{
    CancelFlightInfoRequest, CancelFlightInfoResult, CancelStatus, FlightDescriptor, FlightInfo,
    PollInfo,
};
use cancelwire::longrunning::Operation;
use cancelwire::rpc::{Code, Status};
use cancelwire::wkt::{DoubleValue, Timestamp};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// One call as the server saw it: when (since the server was made), which
/// RPC, and the timeout the client asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Logged {
    pub at: Duration,
    pub rpc: &'static str,
    pub timeout: Option<Duration>,
    /// A WaitOperation's wait; a PollFlightInfo's descriptor command.
    pub detail: String,
}

pub fn secs(at: &[Logged]) -> Vec<f64> {
    at.iter().map(|l| l.at.as_secs_f64()).collect()
}

pub fn rpcs(at: &[Logged]) -> Vec<&'static str> {
    at.iter().map(|l| l.rpc).collect()
}

#[derive(Debug)]
pub struct OpState {
    pub started: Instant,
    pub name: String,
    /// When the operation completes on its own, with this response.
    pub done_after: Duration,
    /// After a cancel, when it becomes done with CANCELLED (None: the
    /// server ignores the cancel and the operation completes anyway).
    pub cancel_takes: Option<Duration>,
    pub cancel_unimplemented: bool,
    pub wait_unimplemented: bool,
    pub cancelled_at: Option<Duration>,
    /// Answers given before the timeline's, one per call.
    pub injected: VecDeque<Result<Operation, CallError>>,
    /// How long GetOperation takes to answer, one per call (then at once).
    pub slow: VecDeque<Duration>,
    pub log: Vec<Logged>,
}

#[derive(Debug, Clone)]
pub struct ScriptedOperation(pub Arc<Mutex<OpState>>);

impl ScriptedOperation {
    pub fn new(name: &str, done_after: Duration) -> Self {
        Self(Arc::new(Mutex::new(OpState {
            started: Instant::now(),
            name: name.to_owned(),
            done_after,
            cancel_takes: Some(Duration::ZERO),
            cancel_unimplemented: false,
            wait_unimplemented: true,
            cancelled_at: None,
            injected: VecDeque::new(),
            slow: VecDeque::new(),
            log: Vec::new(),
        })))
    }

    pub fn with(self, f: impl FnOnce(&mut OpState)) -> Self {
        f(&mut self.0.lock().unwrap());
        self
    }

    pub fn log(&self) -> Vec<Logged> {
        self.0.lock().unwrap().log.clone()
    }

    fn record(&self, rpc: &'static str, timeout: Option<Duration>, detail: String) {
        let mut state = self.0.lock().unwrap();
        let at = state.started.elapsed();
        state.log.push(Logged {
            at,
            rpc,
            timeout,
            detail,
        });
    }

    /// The operation as it stands now, and when it will change next.
    fn now(&self) -> (Operation, Option<Duration>) {
        let state = self.0.lock().unwrap();
        let elapsed = state.started.elapsed();
        let mut op = Operation::running(state.name.clone());
        let cancelled_done = state
            .cancelled_at
            .zip(state.cancel_takes)
            .map(|(at, takes)| at + takes);
        let natural = state.done_after;
        let end = match cancelled_done {
            Some(c) if c < natural => c,
            _ => natural,
        };
        if elapsed >= end {
            if cancelled_done == Some(end) {
                op.cancel("cancelled").unwrap();
            } else {
                op.succeed(&Timestamp {
                    seconds: 1_800_000_000 + natural.as_secs() as i64,
                    ..Default::default()
                })
                .unwrap();
            }
            return (op, None);
        }
        op.set_metadata(&DoubleValue {
            value: elapsed.as_secs_f64() / natural.as_secs_f64(),
            ..Default::default()
        });
        (op, Some(end - elapsed))
    }

    fn injected(&self) -> Option<Result<Operation, CallError>> {
        self.0.lock().unwrap().injected.pop_front()
    }
}

impl OperationsTransport for ScriptedOperation {
    async fn get_operation(
        &self,
        _name: &str,
        timeout: Option<Duration>,
    ) -> Result<Operation, CallError> {
        self.record("GetOperation", timeout, String::new());
        let slow = self.0.lock().unwrap().slow.pop_front();
        if let Some(slow) = slow {
            tokio::time::sleep(slow).await;
        }
        if let Some(answer) = self.injected() {
            return answer;
        }
        Ok(self.now().0)
    }

    async fn wait_operation(
        &self,
        _name: &str,
        wait: Duration,
        timeout: Option<Duration>,
    ) -> Result<Operation, CallError> {
        self.record("WaitOperation", timeout, format!("{wait:?}"));
        if self.0.lock().unwrap().wait_unimplemented {
            return Err(CallError::Status(Status::new(
                Code::UNIMPLEMENTED,
                "no WaitOperation here",
            )));
        }
        if let Some(answer) = self.injected() {
            return answer;
        }
        let (op, changes_in) = self.now();
        match changes_in {
            Some(left) if left <= wait => {
                tokio::time::sleep(left).await;
                Ok(self.now().0)
            }
            Some(_) => {
                tokio::time::sleep(wait).await;
                Ok(self.now().0)
            }
            None => Ok(op),
        }
    }

    async fn cancel_operation(
        &self,
        _name: &str,
        timeout: Option<Duration>,
    ) -> Result<(), CallError> {
        self.record("CancelOperation", timeout, String::new());
        let mut state = self.0.lock().unwrap();
        if state.cancel_unimplemented {
            return Err(CallError::Status(Status::new(
                Code::UNIMPLEMENTED,
                "cannot cancel",
            )));
        }
        if state.cancelled_at.is_none() {
            state.cancelled_at = Some(state.started.elapsed());
        }
        Ok(())
    }
}

/// One scripted answer, given after `delay`.
#[derive(Debug, Clone)]
pub struct Answer<T> {
    pub delay: Duration,
    pub answer: Result<T, CallError>,
}

pub fn now<T>(answer: Result<T, CallError>) -> Answer<T> {
    Answer {
        delay: Duration::ZERO,
        answer,
    }
}

pub fn after<T>(delay: Duration, answer: Result<T, CallError>) -> Answer<T> {
    Answer { delay, answer }
}

pub fn status(code: Code, message: &str) -> CallError {
    CallError::Status(Status::new(code, message))
}

pub fn cancel_status(status: CancelStatus) -> CancelFlightInfoResult {
    let mut result = CancelFlightInfoResult::default();
    result.set_status(status);
    result
}

#[derive(Debug)]
pub struct FlightState {
    pub started: Instant,
    pub polls: VecDeque<Answer<PollInfo>>,
    pub gets: VecDeque<Answer<FlightInfo>>,
    pub cancels: VecDeque<Answer<CancelFlightInfoResult>>,
    pub cancel_requests: Vec<CancelFlightInfoRequest>,
    pub log: Vec<Logged>,
}

#[derive(Debug, Clone)]
pub struct ScriptedFlight(pub Arc<Mutex<FlightState>>);

impl ScriptedFlight {
    pub fn new() -> Self {
        Self(Arc::new(Mutex::new(FlightState {
            started: Instant::now(),
            polls: VecDeque::new(),
            gets: VecDeque::new(),
            cancels: VecDeque::new(),
            cancel_requests: Vec::new(),
            log: Vec::new(),
        })))
    }

    pub fn polls(self, answers: impl IntoIterator<Item = Answer<PollInfo>>) -> Self {
        self.0.lock().unwrap().polls.extend(answers);
        self
    }

    pub fn gets(self, answers: impl IntoIterator<Item = Answer<FlightInfo>>) -> Self {
        self.0.lock().unwrap().gets.extend(answers);
        self
    }

    pub fn cancels(
        self,
        answers: impl IntoIterator<Item = Answer<CancelFlightInfoResult>>,
    ) -> Self {
        self.0.lock().unwrap().cancels.extend(answers);
        self
    }

    pub fn log(&self) -> Vec<Logged> {
        self.0.lock().unwrap().log.clone()
    }

    pub fn cancel_requests(&self) -> Vec<CancelFlightInfoRequest> {
        self.0.lock().unwrap().cancel_requests.clone()
    }

    fn record(&self, rpc: &'static str, timeout: Option<Duration>, detail: String) {
        let mut state = self.0.lock().unwrap();
        let at = state.started.elapsed();
        state.log.push(Logged {
            at,
            rpc,
            timeout,
            detail,
        });
    }
}

async fn give<T>(answer: Option<Answer<T>>, rpc: &str) -> Result<T, CallError> {
    let Some(answer) = answer else {
        return Err(status(
            Code::FAILED_PRECONDITION,
            &format!("the script has no more {rpc} answers"),
        ));
    };
    tokio::time::sleep(answer.delay).await;
    answer.answer
}

impl FlightTransport for ScriptedFlight {
    async fn poll_flight_info(
        &self,
        descriptor: FlightDescriptor,
        timeout: Option<Duration>,
    ) -> Result<PollInfo, CallError> {
        self.record(
            "PollFlightInfo",
            timeout,
            String::from_utf8_lossy(&descriptor.cmd).into_owned(),
        );
        let next = self.0.lock().unwrap().polls.pop_front();
        give(next, "PollFlightInfo").await
    }

    async fn get_flight_info(
        &self,
        descriptor: FlightDescriptor,
        timeout: Option<Duration>,
    ) -> Result<FlightInfo, CallError> {
        self.record(
            "GetFlightInfo",
            timeout,
            String::from_utf8_lossy(&descriptor.cmd).into_owned(),
        );
        let next = self.0.lock().unwrap().gets.pop_front();
        give(next, "GetFlightInfo").await
    }

    async fn cancel_flight_info(
        &self,
        request: CancelFlightInfoRequest,
        timeout: Option<Duration>,
    ) -> Result<CancelFlightInfoResult, CallError> {
        self.record("CancelFlightInfo", timeout, String::new());
        let next = {
            let mut state = self.0.lock().unwrap();
            state.cancel_requests.push(request);
            state.cancels.pop_front()
        };
        give(next, "CancelFlightInfo").await
    }
}
