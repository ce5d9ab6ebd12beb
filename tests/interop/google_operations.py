"""Google's own long-running-operations clients (google-api-core) against
cancelwire's `operations_server` example: the gRPC `OperationsClient` and the
REST `AbstractOperationsClient` each list, get, cancel (then see `done` with
CANCELLED), delete (then see NOT_FOUND), and see the right error codes.

With a second argument, the Flight example server, the gRPC client also
polls a Flight query through the server's Flight gateway (`--flight`):
GetOperation until `done`, the metadata's FlightInfo growing by one endpoint
per poll, the final FlightInfo read from `response` (with pyarrow, which
itself has no PollFlightInfo in version 26), and a cancelled query as an
operation done with CANCELLED.

usage: google_operations.py OPERATIONS_SERVER_BINARY [FLIGHT_SERVER_BINARY]
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

    def __init__(self, binary, extra=()):
        self.process = subprocess.Popen(
            [binary, "--grpc", "127.0.0.1:0", "--http", "127.0.0.1:0", "--seed", "4", "--run-for", str(RUN_FOR),
             *extra],
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


class FlightServer(Server):
    """examples/flight_server on a free port."""

    def __init__(self, binary):
        self.process = subprocess.Popen(
            [binary, "--addr", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        line = self.process.stdout.readline()
        if not line.startswith("listening addr="):
            self.stop()
            raise RuntimeError(f"flight_server did not start: {line!r}")
        self.addr = line.strip().split("=", 1)[1]


def length_delimited(data, wanted):
    """The bytes of field number `wanted` (wire type 2) of a protobuf message, or None."""
    i = 0

    def varint():
        nonlocal i
        shift = value = 0
        while True:
            byte = data[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while i < len(data):
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            varint()
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        elif wire == 2:
            size = varint()
            if number == wanted:
                return data[i:i + size]
            i += size
        else:
            raise ValueError(f"wire type {wire}")
    return None


def exercise_flight_gateway(client, checks):
    """A Flight query polled as a Google-style operation, through the gateway."""
    import pyarrow.flight as flight

    poll_info = "type.googleapis.com/arrow.flight.protocol.PollInfo"
    name = f"{PARENT}/operations/flight-select-numbers"
    counts = []
    operation = client.get_operation(name=name, timeout=CALL_TIMEOUT)
    for _ in range(20):
        checks.check("flight: metadata is the PollInfo", operation.metadata.type_url == poll_info,
                     operation.metadata.type_url)
        info = length_delimited(operation.metadata.value, 1)  # PollInfo.info
        counts.append(len(flight.FlightInfo.deserialize(info).endpoints) if info is not None else 0)
        if operation.done:
            break
        operation = client.get_operation(name=name, timeout=CALL_TIMEOUT)
    checks.check("flight: polled until done", operation.done, operation)
    checks.check("flight: one more endpoint per poll", counts == [1, 2, 3, 4], counts)
    checks.check(
        "flight: response is the FlightInfo",
        operation.WhichOneof("result") == "response"
        and operation.response.type_url == "type.googleapis.com/arrow.flight.protocol.FlightInfo",
        operation,
    )
    final = flight.FlightInfo.deserialize(operation.response.value)
    tickets = [endpoint.ticket.ticket.decode() for endpoint in final.endpoints]
    query = tickets[0].split("/")[0] if tickets else ""
    checks.check("flight: final FlightInfo has every endpoint", tickets == [f"{query}/{i}" for i in range(4)],
                 tickets)
    again = client.get_operation(name=name, timeout=CALL_TIMEOUT)
    checks.check("flight: a done operation stays the same", again == operation, again)

    cancelled_name = f"{PARENT}/operations/flight-select-forever"
    started = client.get_operation(name=cancelled_name, timeout=CALL_TIMEOUT)
    checks.check("flight: second query runs", not started.done, started)
    client.cancel_operation(name=cancelled_name, timeout=CALL_TIMEOUT)
    cancelled = client.get_operation(name=cancelled_name, timeout=CALL_TIMEOUT)
    checks.check(
        "flight: cancelled query is done with CANCELLED",
        cancelled.done and cancelled.WhichOneof("result") == "error" and cancelled.error.code == 1,
        cancelled,
    )
    checks.raises("flight: unknown query is NOT_FOUND", exceptions.NotFound,
                  lambda: client.get_operation(name=f"{PARENT}/operations/flight-poll/query-999",
                                               timeout=CALL_TIMEOUT))


def main():
    binary = sys.argv[1]
    flight_binary = sys.argv[2] if len(sys.argv) > 2 else None
    checks = Checks()

    if flight_binary is not None:
        flight_server = FlightServer(flight_binary)
        try:
            server = Server(binary, ["--flight", f"http://{flight_server.addr}"])
            try:
                with grpc.insecure_channel(server.grpc) as channel:
                    exercise_flight_gateway(operations_v1.OperationsClient(channel), checks)
            finally:
                checks.check("gateway server exits cleanly on SIGTERM", server.stop() == 0)
        finally:
            checks.check("flight server exits cleanly on SIGTERM", flight_server.stop() == 0)

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
