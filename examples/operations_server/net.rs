//! Accepting and timing connections the way a server facing the network
//! should, shared by `operations_server` (both of its front ends) and
//! `flight_server`:
//!
//! - [`Acceptor`] accepts in a loop that never spins and never gives up: an
//!   error of the connection itself (reset or aborted before it was
//!   accepted) is skipped; any other error, above all running out of file
//!   descriptors (`EMFILE`, `ENFILE`) or kernel memory (`ENOBUFS`,
//!   `ENOMEM`), is logged and retried after a pause that doubles up to one
//!   second, so the process waits for descriptors to come back instead of
//!   burning a core on an accept that fails at once. It is a `Stream` of
//!   connections, which is what tonic's `serve_with_incoming_shutdown`
//!   takes; tonic's own `TcpIncoming` retries such errors immediately.
//! - [`Timed`] wraps a connection and fails its next read or write once no
//!   byte has moved either way for the idle timeout: a peer that opens a
//!   connection and sends nothing, or half a request, or stops reading,
//!   does not hold a descriptor and a task for ever.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, Sleep};

/// The first pause after an accept error that is not the connection's own.
const FIRST_PAUSE: Duration = Duration::from_millis(10);
/// The longest pause between two accepts that fail.
const LONGEST_PAUSE: Duration = Duration::from_secs(1);

/// How long a connection may stay silent both ways before it is closed by
/// default: longer than the longest WaitOperation (60 s), which sends
/// nothing while it waits.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(120);
/// How long an HTTP/1 client has to send a request's headers by default.
pub const DEFAULT_HEADER_READ: Duration = Duration::from_secs(10);

/// Errors that concern one connection only: the next accept may succeed.
fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
            | io::ErrorKind::TimedOut
    )
}

/// Accepts connections from a listener, pausing on resource errors.
pub struct Acceptor {
    listener: TcpListener,
    idle: Duration,
    /// The pause in force while accepts keep failing.
    pause: Option<Pin<Box<Sleep>>>,
    /// The length of the next pause.
    next_pause: Duration,
    /// Accepts that failed since the last one that worked.
    failures: u64,
    /// Which server is accepting, for the log.
    name: &'static str,
}

impl Acceptor {
    pub fn new(listener: TcpListener, idle: Duration, name: &'static str) -> Self {
        Self {
            listener,
            idle,
            pause: None,
            next_pause: FIRST_PAUSE,
            failures: 0,
            name,
        }
    }

    /// The next connection, waiting out errors that are not its own.
    pub async fn accept(&mut self) -> Timed<TcpStream> {
        std::future::poll_fn(|cx| self.poll_accept(cx)).await
    }

    fn poll_accept(&mut self, cx: &mut Context<'_>) -> Poll<Timed<TcpStream>> {
        loop {
            if let Some(pause) = self.pause.as_mut() {
                ready!(pause.as_mut().poll(cx));
                self.pause = None;
            }
            match ready!(self.listener.poll_accept(cx)) {
                Ok((stream, _)) => {
                    if self.failures > 0 {
                        eprintln!(
                            "{}: accepting again after {} failed accepts",
                            self.name, self.failures
                        );
                    }
                    self.failures = 0;
                    self.next_pause = FIRST_PAUSE;
                    let _ = stream.set_nodelay(true);
                    return Poll::Ready(Timed::new(stream, self.idle));
                }
                Err(error) if is_connection_error(&error) => continue,
                Err(error) => {
                    self.failures += 1;
                    // One line per pause: at most one a second once the
                    // pauses are as long as they get.
                    eprintln!(
                        "{}: accept failed ({error}); retrying in {} ms",
                        self.name,
                        self.next_pause.as_millis()
                    );
                    self.pause = Some(Box::pin(tokio::time::sleep(self.next_pause)));
                    self.next_pause = (self.next_pause * 2).min(LONGEST_PAUSE);
                }
            }
        }
    }
}

impl futures::Stream for Acceptor {
    type Item = Result<Timed<TcpStream>, io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_accept(cx).map(|stream| Some(Ok(stream)))
    }
}

/// A connection that fails once it has been silent for its idle timeout.
pub struct Timed<T> {
    inner: T,
    idle: Duration,
    /// When a byte last moved, either way.
    last: Instant,
    /// Fires at `last + idle` or earlier; moved on when it fires early.
    timer: Pin<Box<Sleep>>,
}

impl<T> Timed<T> {
    pub fn new(inner: T, idle: Duration) -> Self {
        let last = Instant::now();
        Self {
            inner,
            idle,
            last,
            timer: Box::pin(tokio::time::sleep_until(last + idle)),
        }
    }

    /// Called when the inner connection is not ready: an error once the
    /// connection has been idle for too long, otherwise `Pending` with the
    /// timer armed to wake the task when it will be.
    fn poll_idle(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        loop {
            ready!(self.timer.as_mut().poll(cx));
            let deadline = self.last + self.idle;
            if Instant::now() >= deadline {
                return Poll::Ready(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("no byte either way for {} s", self.idle.as_secs_f64()),
                ));
            }
            // Bytes moved since the timer was set: wait for the new deadline.
            self.timer.as_mut().reset(deadline);
        }
    }

    fn moved(&mut self) {
        self.last = Instant::now();
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Timed<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    this.moved();
                }
                Poll::Ready(result)
            }
            Poll::Pending => this.poll_idle(cx).map(Err),
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Timed<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Ready(result) => {
                if matches!(result, Ok(n) if n > 0) {
                    this.moved();
                }
                Poll::Ready(result)
            }
            Poll::Pending => this.poll_idle(cx).map(Err),
        }
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(result) => {
                if matches!(result, Ok(n) if n > 0) {
                    this.moved();
                }
                Poll::Ready(result)
            }
            Poll::Pending => this.poll_idle(cx).map(Err),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Ready(result) => Poll::Ready(result),
            Poll::Pending => this.poll_idle(cx).map(Err),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_shutdown(cx) {
            Poll::Ready(result) => Poll::Ready(result),
            Poll::Pending => this.poll_idle(cx).map(Err),
        }
    }
}

impl tonic::transport::server::Connected for Timed<TcpStream> {
    type ConnectInfo = <TcpStream as tonic::transport::server::Connected>::ConnectInfo;

    fn connect_info(&self) -> Self::ConnectInfo {
        self.inner.connect_info()
    }
}
