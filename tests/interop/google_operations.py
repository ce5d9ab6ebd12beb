"""Google's own long-running-operations clients (google-api-core) against
cancelwire's `operations_server` example: the gRPC `OperationsClient` and the
REST `AbstractOperationsClient` each list, get, cancel (then see `done` with
CANCELLED), delete (then see NOT_FOUND), and see the right error codes.

usage: google_operations.py OPERATIONS_SERVER_BINARY
Each client gets a fresh server on free loopback ports, started here and
stopped here. Ends with the line "N passed, N failed"; exits 1 on failure.
"""

import subprocess
import sys
import time

import grpc
from google.api_core import exceptions, operations_v1
from google.api_core.operations_v1.transports.rest import OperationsRestTransport
from google.auth.credentials import AnonymousCredentials
from google.protobuf import wrappers_pb2

PARENT = "projects/demo"
CALL_TIMEOUT = 5.0
RUN_FOR = 3.0  # seconds until an operation that is left alone completes


def op(i):
    return f"{PARENT}/operations/op-{i}"


class Server:
    """operations_server on free ports; stopped with SIGTERM, or killed."""

    def __init__(self, binary):
        self.process = subprocess.Popen(
            [binary, "--grpc", "127.0.0.1:0", "--http", "127.0.0.1:0", "--seed", "4", "--run-for", str(RUN_FOR)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()  # blocks until ready or exit
        if not line.startswith("listening "):
            self.stop()
            raise RuntimeError(f"server did not start: {line!r} {self.process.stderr.read()}")
        fields = dict(part.split("=", 1) for part in line.split()[1:])
        self.grpc, self.http = fields["grpc"], fields["http"]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {name} {detail}")

    def raises(self, name, exception_type, call):
        try:
            call()
        except exception_type as error:
            self.passed += 1
            return error
        except Exception as error:  # the wrong error is a failure, not a crash
            self.failed += 1
            print(f"FAIL {name}: raised {type(error).__name__}: {error}")
            return None
        self.failed += 1
        print(f"FAIL {name}: no {exception_type.__name__} raised")
        return None


def progress(operation):
    value = wrappers_pb2.DoubleValue()
    return value.value if operation.metadata.Unpack(value) else None


def exercise(label, client, checks):
    """The same conversation through either client."""
    names = [o.name for o in client.list_operations(name=PARENT, filter_="", timeout=CALL_TIMEOUT)]
    checks.check(f"{label}: list", names == [op(i) for i in range(1, 5)], names)

    running = client.get_operation(name=op(2), timeout=CALL_TIMEOUT)
    checks.check(f"{label}: get running", running.name == op(2) and not running.done, running)
    p = progress(running)
    checks.check(f"{label}: typed metadata", p is not None and 0.0 <= p < 1.0, p)

    client.cancel_operation(name=op(1), timeout=CALL_TIMEOUT)
    cancelled = client.get_operation(name=op(1), timeout=CALL_TIMEOUT)
    checks.check(
        f"{label}: cancelled stays, done, code CANCELLED",
        cancelled.done and cancelled.WhichOneof("result") == "error" and cancelled.error.code == 1,
        cancelled,
    )

    done = [o.name for o in client.list_operations(name=PARENT, filter_="done=true", timeout=CALL_TIMEOUT)]
    checks.check(f"{label}: list done=true", done == [op(1)], done)

    client.delete_operation(name=op(4), timeout=CALL_TIMEOUT)
    error = checks.raises(f"{label}: deleted is NOT_FOUND", exceptions.NotFound,
                          lambda: client.get_operation(name=op(4), timeout=CALL_TIMEOUT))
    if error is not None:
        checks.check(f"{label}: NOT_FOUND is HTTP 404", error.code == 404, error.code)
        checks.check(f"{label}: message names the operation", op(4) in error.message, error.message)

    checks.raises(f"{label}: unknown cancel is NOT_FOUND", exceptions.NotFound,
                  lambda: client.cancel_operation(name=op(9), timeout=CALL_TIMEOUT))
    # REST clients see the HTTP status (400: BadRequest); gRPC clients see
    # the code itself (InvalidArgument, a BadRequest too).
    error = checks.raises(
        f"{label}: bad filter is HTTP 400",
        exceptions.BadRequest,
        lambda: list(client.list_operations(name=PARENT, filter_="colour=blue", timeout=CALL_TIMEOUT)),
    )
    if error is not None and label == "grpc":
        checks.check(f"{label}: bad filter is INVALID_ARGUMENT", isinstance(error, exceptions.InvalidArgument), error)

    # op-2, left alone, completes with its completion time as response.
    deadline = time.monotonic() + RUN_FOR + 5
    finished = client.get_operation(name=op(2), timeout=CALL_TIMEOUT)
    while not finished.done and time.monotonic() < deadline:
        time.sleep(0.2)
        finished = client.get_operation(name=op(2), timeout=CALL_TIMEOUT)
    checks.check(
        f"{label}: completes with a typed response",
        finished.done
        and finished.WhichOneof("result") == "response"
        and finished.response.type_url == "type.googleapis.com/google.protobuf.Timestamp",
        finished,
    )
    checks.check(f"{label}: progress 1.0 when done", progress(finished) == 1.0, progress(finished))

    # Cancelling a finished operation leaves its outcome alone.
    client.cancel_operation(name=op(2), timeout=CALL_TIMEOUT)
    again = client.get_operation(name=op(2), timeout=CALL_TIMEOUT)
    checks.check(f"{label}: cancel after completion is a no-op", again.WhichOneof("result") == "response", again)


def main():
    binary = sys.argv[1]
    checks = Checks()

    server = Server(binary)
    try:
        with grpc.insecure_channel(server.grpc) as channel:
            exercise("grpc", operations_v1.OperationsClient(channel), checks)
    finally:
        checks.check("grpc server exits cleanly on SIGTERM", server.stop() == 0)

    server = Server(binary)
    try:
        # The scheme goes in the host: this version of the REST transport does
        # not pass its url_scheme argument on.
        transport = OperationsRestTransport(host=f"http://{server.http}", credentials=AnonymousCredentials())
        exercise("rest", operations_v1.AbstractOperationsClient(transport=transport), checks)
    finally:
        checks.check("rest server exits cleanly on SIGTERM", server.stop() == 0)

    print("google-api-core operations clients:")
    print(f"{checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
