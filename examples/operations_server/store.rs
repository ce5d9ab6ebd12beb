//! The in-memory operations that both front ends (gRPC and REST) serve.
//!
//! Operation `op-i` under parent `P` in collection `C` is named `P/C/op-i`
//! (`C/op-i` when there is no parent). Its
//! metadata is its progress as a `google.protobuf.DoubleValue` in [0, 1];
//! after `run_for` it completes with its completion time as a
//! `google.protobuf.Timestamp` response, unless it was cancelled first, in
//! which case it stays, done, with error code CANCELLED (AIP-151). Both
//! payloads are well-known types, which every ProtoJSON client can read
//! (a REST client must know every type an `Any` holds).

use cancelwire::longrunning::{ListOperationsResponse, Operation};
use cancelwire::rpc::Status;
use cancelwire::wkt::{DoubleValue, Timestamp};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::Notify;

const DEFAULT_PAGE_SIZE: usize = 50;
const MAX_PAGE_SIZE: usize = 1000;
const DEFAULT_WAIT: Duration = Duration::from_secs(10);
const MAX_WAIT: Duration = Duration::from_secs(60);

/// The most characters of a client's text (a name, a token, a filter) an
/// error message quotes; the rest is cut. A peer's status message is sent
/// in a header, and grpcio refuses one larger than its metadata limit
/// (8 KiB by default) as RESOURCE_EXHAUSTED, hiding the real error.
pub const QUOTE_LIMIT: usize = 128;

/// `text` in backquotes for an error message, cut to [`QUOTE_LIMIT`]
/// characters with how long it was when it is longer.
pub fn quoted(text: &str) -> String {
    match text.char_indices().nth(QUOTE_LIMIT) {
        None => format!("`{text}`"),
        Some((cut, _)) => {
            let kept = text.get(..cut).unwrap_or_default();
            format!("`{kept}...` ({} bytes)", text.len())
        }
    }
}

struct Entry {
    operation: Operation,
    started: Instant,
}

pub struct Store {
    entries: Mutex<BTreeMap<String, Entry>>,
    run_for: Duration,
    /// The collection segment of the names, like `operations`.
    collection: String,
    /// Woken when an operation is cancelled or deleted, for WaitOperation.
    changed: Notify,
}

/// A `done = true|false` filter; the only one this server understands.
fn parse_filter(filter: &str) -> Result<Option<bool>, Status> {
    let filter = filter.trim();
    if filter.is_empty() {
        return Ok(None);
    }
    match filter.split_once('=').map(|(k, v)| (k.trim(), v.trim())) {
        Some(("done", "true")) => Ok(Some(true)),
        Some(("done", "false")) => Ok(Some(false)),
        _ => Err(Status::invalid_argument(format!(
            "unsupported filter {}: only `done=true` and `done=false` are understood",
            quoted(filter)
        ))),
    }
}

impl Store {
    pub fn seeded(parent: &str, collection: &str, count: usize, run_for: Duration) -> Self {
        let now = Instant::now();
        let prefix = if parent.is_empty() {
            format!("{collection}/")
        } else {
            format!("{parent}/{collection}/")
        };
        let entries = (1..=count)
            .map(|i| {
                let name = format!("{prefix}op-{i}");
                let operation = Operation::running(name.clone()).with_metadata(&DoubleValue {
                    value: 0.0,
                    ..Default::default()
                });
                (
                    name,
                    Entry {
                        operation,
                        started: now,
                    },
                )
            })
            .collect();
        Self {
            entries: Mutex::new(entries),
            run_for,
            collection: collection.to_owned(),
            changed: Notify::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Entry>> {
        // A panic while holding the lock cannot leave an entry half-written
        // (every update is one assignment), so a poisoned lock is still usable.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Brings an entry up to date: its progress, and its completion once
    /// `run_for` has passed.
    fn refresh(&self, entry: &mut Entry, now: Instant) {
        if entry.operation.done {
            return;
        }
        let elapsed = now.saturating_duration_since(entry.started);
        if elapsed >= self.run_for {
            let completed = SystemTime::now() - elapsed.saturating_sub(self.run_for);
            // A clock outside Timestamp's range (years 1 to 9999) is not worth an error here.
            let result = Timestamp::try_from(completed).unwrap_or(Timestamp::MAX);
            entry.operation.set_metadata(&DoubleValue {
                value: 1.0,
                ..Default::default()
            });
            // Cannot fail: the operation is not done (checked above).
            let _ = entry.operation.succeed(&result);
        } else {
            let progress = elapsed.as_secs_f64() / self.run_for.as_secs_f64();
            entry.operation.set_metadata(&DoubleValue {
                value: progress,
                ..Default::default()
            });
        }
    }

    fn with_entry<T>(&self, name: &str, f: impl FnOnce(&mut Entry) -> T) -> Result<T, Status> {
        let mut entries = self.lock();
        let entry = entries.get_mut(name).ok_or_else(|| {
            Status::not_found(format!("operation {} does not exist", quoted(name)))
        })?;
        self.refresh(entry, Instant::now());
        Ok(f(entry))
    }

    pub fn get(&self, name: &str) -> Result<Operation, Status> {
        self.with_entry(name, |entry| entry.operation.clone())
    }

    /// Lists the operations of the collection `name` (a parent such as
    /// `projects/demo`, or its `.../operations` collection, or the bare
    /// collection `operations`; empty for all).
    pub fn list(
        &self,
        name: &str,
        filter: &str,
        page_size: i32,
        page_token: &str,
    ) -> Result<ListOperationsResponse, Status> {
        let done = parse_filter(filter)?;
        let page_size = match usize::try_from(page_size) {
            Ok(0) => DEFAULT_PAGE_SIZE,
            Ok(size) => size.min(MAX_PAGE_SIZE),
            Err(_) => return Err(Status::invalid_argument("page_size must not be negative")),
        };
        let collection = &self.collection;
        let parent = name
            .strip_suffix(collection.as_str())
            .and_then(|p| p.strip_suffix('/'))
            .unwrap_or(name);
        let prefix = if name.is_empty() {
            String::new()
        } else if name == collection {
            format!("{collection}/")
        } else {
            format!("{parent}/{collection}/")
        };
        // The token is the name of the last operation of the previous page.
        if !page_token.is_empty() && !page_token.starts_with(&prefix) {
            return Err(Status::invalid_argument(format!(
                "invalid page_token {}",
                quoted(page_token)
            )));
        }

        let now = Instant::now();
        let mut entries = self.lock();
        let mut operations = Vec::new();
        let mut more = false;
        for (key, entry) in entries.iter_mut() {
            if !key.starts_with(&prefix) || (!page_token.is_empty() && key.as_str() <= page_token) {
                continue;
            }
            self.refresh(entry, now);
            if done.is_some_and(|done| entry.operation.done != done) {
                continue;
            }
            if operations.len() == page_size {
                more = true;
                break;
            }
            operations.push(entry.operation.clone());
        }
        let next_page_token = match operations.last() {
            Some(last) if more => last.name.clone(),
            _ => String::new(),
        };
        Ok(ListOperationsResponse {
            operations,
            next_page_token,
            unreachable: vec![],
            ..Default::default()
        })
    }

    pub fn delete(&self, name: &str) -> Result<(), Status> {
        let removed = self.lock().remove(name);
        self.changed.notify_waiters();
        removed
            .map(|_| ())
            .ok_or_else(|| Status::not_found(format!("operation {} does not exist", quoted(name))))
    }

    /// Cancels a running operation; cancelling a finished one changes nothing.
    pub fn cancel(&self, name: &str) -> Result<(), Status> {
        self.with_entry(name, |entry| {
            // An operation that is already done keeps its outcome.
            let _ = entry.operation.cancel("cancelled by the client");
        })?;
        self.changed.notify_waiters();
        Ok(())
    }

    /// Waits until the operation is done, or `timeout` (default 10 s, at most
    /// 60 s) passes, and returns its latest state.
    pub async fn wait(&self, name: &str, timeout: Option<Duration>) -> Result<Operation, Status> {
        let deadline = Instant::now() + timeout.unwrap_or(DEFAULT_WAIT).min(MAX_WAIT);
        loop {
            let changed = self.changed.notified();
            let (operation, started) =
                self.with_entry(name, |entry| (entry.operation.clone(), entry.started))?;
            let now = Instant::now();
            if operation.done || now >= deadline {
                return Ok(operation);
            }
            let wake = deadline.min(started + self.run_for);
            tokio::select! {
                () = changed => {}
                () = tokio::time::sleep_until(wake.into()) => {}
            }
        }
    }
}
