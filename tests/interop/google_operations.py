"""Google's own long-running-operations clients (google-api-core) against
cancelwire's `operations_server` example: the gRPC `OperationsClient` and the
REST `AbstractOperationsClient` each list, get, cancel (then see `done` with
CANCELLED), delete (then see NOT_FOUND), and see the right error codes.

The REST client runs twice: on google-api-core's default bindings (the
server's default `--name-pattern '**/operations/*'`), and on Firestore's
bindings (`http_options` as Firestore's service config has them, the server
started with `--name-pattern 'projects/*/databases/*/operations/*'`). Raw
HTTP requests then check the Firestore page's promises and the error
envelope on the latter.

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

import json
import subprocess
import sys
import time

import requests

import grpc
from google.api_core import exceptions, operations_v1
from google.api_core.operations_v1.transports.rest import OperationsRestTransport
from google.auth.credentials import AnonymousCredentials
from google.protobuf import wrappers_pb2

PARENT = "projects/demo"
FIRESTORE_PARENT = "projects/demo/databases/demo"
FIRESTORE_PATTERN = "projects/*/databases/*/operations/*"
# Firestore's HTTP rules for google.longrunning.Operations, in the form
# google-api-core's REST transport takes them.
FIRESTORE_HTTP_OPTIONS = {
    "google.longrunning.Operations.ListOperations": [
        {"method": "get", "uri": "/v1/{name=projects/*/databases/*}/operations"},
    ],
    "google.longrunning.Operations.GetOperation": [
        {"method": "get", "uri": "/v1/{name=projects/*/databases/*/operations/*}"},
    ],
    "google.longrunning.Operations.DeleteOperation": [
        {"method": "delete", "uri": "/v1/{name=projects/*/databases/*/operations/*}"},
    ],
    "google.longrunning.Operations.CancelOperation": [
        {"method": "post", "uri": "/v1/{name=projects/*/databases/*/operations/*}:cancel", "body": "*"},
    ],
}
CALL_TIMEOUT = 5.0
RUN_FOR = 3.0  # seconds until an operation that is left alone completes


def op(i, parent=PARENT):
    return f"{parent}/operations/op-{i}"


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


def exercise(label, client, checks, parent=PARENT):
    """The same conversation through either client."""
    PARENT = parent  # noqa: N806 -- the collection this run lists

    def op(i):
        return f"{parent}/operations/op-{i}"

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


def envelope(response):
    """The `error` object of Google's JSON error envelope, or None."""
    try:
        return response.json().get("error")
    except ValueError:
        return None


def raw_http(base, checks):
    """Firestore's operations.cancel page, request by request."""
    label = "raw-http"
    one = f"{base}/v1/{op(1, FIRESTORE_PARENT)}"

    r = requests.post(f"{one}:cancel", data=b"", timeout=CALL_TIMEOUT)
    checks.check(f"{label}: cancel with an empty body is 200 {{}}", r.status_code == 200 and r.json() == {},
                 (r.status_code, r.text))
    r = requests.get(one, timeout=CALL_TIMEOUT)
    body = r.json()
    checks.check(f"{label}: then done with error.code 1",
                 r.status_code == 200 and body.get("done") is True and body.get("error", {}).get("code") == 1, body)

    r = requests.post(f"{base}/v1/{op(2, FIRESTORE_PARENT)}:cancel", data=b"{}", timeout=CALL_TIMEOUT)
    checks.check(f"{label}: cancel with {{}} is 200 {{}}", r.status_code == 200 and r.json() == {}, r.text)
    same = json.dumps({"name": op(3, FIRESTORE_PARENT)})
    r = requests.post(f"{base}/v1/{op(3, FIRESTORE_PARENT)}:cancel", data=same, timeout=CALL_TIMEOUT)
    checks.check(f"{label}: cancel naming the same operation is 200", r.status_code == 200, r.text)

    r = requests.get(f"{base}/v1/{op(9, FIRESTORE_PARENT)}", timeout=CALL_TIMEOUT)
    error = envelope(r)
    checks.check(f"{label}: unknown operation is 404 NOT_FOUND envelope",
                 r.status_code == 404 and error is not None and error.get("status") == "NOT_FOUND"
                 and error.get("code") == 404 and op(9, FIRESTORE_PARENT) in error.get("message", ""), r.text)

    for path in ["/v1/operations/op-1", "/v1/projects/demo/operations/op-1", "/v2/" + op(1, FIRESTORE_PARENT),
                 "/v1/projects/demo/databases/demo/operations/op-1/extra"]:
        r = requests.get(base + path, timeout=CALL_TIMEOUT)
        error = envelope(r)
        checks.check(f"{label}: {path} outside the pattern is 404",
                     r.status_code == 404 and error is not None and error.get("status") == "NOT_FOUND", r.text)

    for bad in [b"{", b"[]", b'{"unknown": 1}', json.dumps({"name": op(2, FIRESTORE_PARENT)}).encode()]:
        r = requests.post(f"{one}:cancel", data=bad, timeout=CALL_TIMEOUT)
        error = envelope(r)
        checks.check(f"{label}: cancel body {bad!r} is 400 INVALID_ARGUMENT",
                     r.status_code == 400 and error is not None and error.get("status") == "INVALID_ARGUMENT", r.text)
    r = requests.get(f"{base}/v1/{FIRESTORE_PARENT}/operations?pageSize=two", timeout=CALL_TIMEOUT)
    checks.check(f"{label}: a malformed pageSize is 400", r.status_code == 400, r.text)

    names, token, pages = [], None, 0
    while True:
        params = {"pageSize": 2} if token is None else {"page_size": 2, "pageToken": token}
        r = requests.get(f"{base}/v1/{FIRESTORE_PARENT}/operations", params=params, timeout=CALL_TIMEOUT)
        if r.status_code != 200 or pages > 5:
            break
        page = r.json()
        pages += 1
        names += [o["name"] for o in page.get("operations", [])]
        token = page.get("nextPageToken")
        if not token:
            break
    checks.check(f"{label}: paging with pageSize/pageToken gives every operation once, 2 per page",
                 names == [op(i, FIRESTORE_PARENT) for i in range(1, 5)] and pages == 2, (names, pages))


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

    server = Server(binary, ["--name-pattern", FIRESTORE_PATTERN])
    try:
        transport = OperationsRestTransport(
            host=f"http://{server.http}", credentials=AnonymousCredentials(), http_options=FIRESTORE_HTTP_OPTIONS
        )
        client = operations_v1.AbstractOperationsClient(transport=transport)
        exercise("rest-firestore", client, checks, parent=FIRESTORE_PARENT)
        # The client really uses Firestore's rules: a name outside them has no URL.
        checks.raises("rest-firestore: a name outside Firestore's pattern has no binding", ValueError,
                      lambda: client.get_operation(name=op(1), timeout=CALL_TIMEOUT))
    finally:
        checks.check("rest-firestore server exits cleanly on SIGTERM", server.stop() == 0)

    server = Server(binary, ["--name-pattern", FIRESTORE_PATTERN])
    try:
        raw_http(f"http://{server.http}", checks)
    finally:
        checks.check("raw-http server exits cleanly on SIGTERM", server.stop() == 0)

    print("google-api-core operations clients:")
    print(f"{checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
