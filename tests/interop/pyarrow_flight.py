"""Interop test against Arrow C++ through pyarrow.flight.

Part 1: pyarrow's FlightClient against examples/flight_server (cancelwire's
types behind arrow-flight). GetFlightInfo, then DoAction "CancelFlightInfo"
and "RenewFlightEndpoint" with bodies built by Python protobuf (upb) from
the reference descriptors around the FlightInfo/FlightEndpoint bytes that
pyarrow serialised; the answers are read by upb, by the cancelwire CLI and,
for a renewed endpoint, by pyarrow itself.

Part 2: FlightInfo, FlightEndpoint and Ticket bytes serialised by pyarrow
(Arrow C++) go through `cancelwire convert` binary -> binary and
binary -> JSON -> binary and must come back byte for byte.

The server is started on a free loopback port (--addr 127.0.0.1:0); the test
waits for its ready line, bounds every call by a timeout, stops it with
SIGTERM (checking it exits cleanly) and kills it if anything goes wrong.

usage: pyarrow_flight.py FLIGHT_SERVER CANCELWIRE_BINARY DESCRIPTOR_SET
Ends with the line "N passed, N failed"; exits 1 on any failure.
"""

import argparse
import json
import signal
import subprocess
import sys
import threading
import traceback

import pyarrow as pa
import pyarrow.flight as flight
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

READY_SECONDS = 30
CALL_SECONDS = 10
WHOLE_RUN_SECONDS = 300
PACKAGE = "arrow.flight.protocol"
CANCELLED, NOT_CANCELLABLE = 1, 3


def load_messages(path):
    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(descriptor_pb2.DESCRIPTOR.serialized_pb)
    files = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as f:
        files.ParseFromString(f.read())
    for file in files.file:
        pool.Add(file)
    return lambda name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{PACKAGE}.{name}"))


class Server:
    """examples/flight_server on a free loopback port."""

    def __init__(self, binary):
        self.process = subprocess.Popen(
            [binary, "--addr", "127.0.0.1:0"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        lines = []
        reader = threading.Thread(target=lambda: lines.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(READY_SECONDS)
        line = lines[0].decode().strip() if lines else ""
        if not line.startswith("listening addr="):
            self.kill()
            raise RuntimeError(f"flight_server printed no ready line within {READY_SECONDS}s: {line!r}")
        self.addr = line.removeprefix("listening addr=")

    def stop(self):
        """SIGTERM, and the exit status (None if it had to be killed)."""
        self.process.terminate()
        try:
            return self.process.wait(timeout=CALL_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=CALL_SECONDS)


def cancelwire(binary, type_name, source, target, data):
    run = subprocess.run(
        [binary, "convert", "--type", f"{PACKAGE}.{type_name}", "--from", source, "--to", target, "--compact"],
        input=data,
        capture_output=True,
        timeout=30,
    )
    if run.returncode != 0:
        raise AssertionError(f"cancelwire convert {type_name} {source}->{target}: {run.stderr.decode().strip()}")
    return run.stdout


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def run(self, name, check, *args):
        try:
            check(*args)
            self.passed += 1
        except Exception:
            self.failed += 1
            print(f"FAIL {name}:\n{traceback.format_exc()}")


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def expect_error(kind, fragment, call):
    try:
        call()
    except kind as error:
        expect(fragment in str(error), f"{fragment!r} not in {error}")
        return
    raise AssertionError(f"no {kind.__name__}")


def flight_checks(checks, server, binary, message, served):
    """Appends the FlightInfo the server answered, as pyarrow re-serialises it, to `served`."""
    client = flight.FlightClient(f"grpc+tcp://{server.addr}")
    options = flight.FlightCallOptions(timeout=CALL_SECONDS)

    def action(action_type, body):
        results = list(client.do_action(flight.Action(action_type, body), options=options))
        expect(len(results) == 1, f"{action_type} answered {len(results)} results")
        return results[0].body.to_pybytes()

    def cancel_body(info):
        request = message("CancelFlightInfoRequest")()
        request.info.ParseFromString(info.serialize())
        return request.SerializeToString()

    def cancel_status(info):
        body = action("CancelFlightInfo", cancel_body(info))
        result = message("CancelFlightInfoResult").FromString(body)
        ours = json.loads(cancelwire(binary, "CancelFlightInfoResult", "binary", "json", body))
        names = {CANCELLED: "CANCEL_STATUS_CANCELLED", NOT_CANCELLABLE: "CANCEL_STATUS_NOT_CANCELLABLE"}
        expect(ours == {"status": names.get(result.status, result.status)}, f"upb {result} but cancelwire {ours}")
        return result.status

    def list_actions():
        listed = [a.type for a in client.list_actions(options=options)]
        expect(listed == ["CancelFlightInfo", "RenewFlightEndpoint"], f"ListActions: {listed}")

    def get_flight_info():
        info = client.get_flight_info(flight.FlightDescriptor.for_command(b"SELECT 1"), options)
        served.append(("FlightInfo", info.serialize()))
        served.extend(("FlightEndpoint", endpoint.serialize()) for endpoint in info.endpoints)
        expect(info.schema == pa.schema([pa.field("value", pa.int64(), nullable=False)]), f"schema {info.schema}")
        expect(len(info.endpoints) == 2, f"{len(info.endpoints)} endpoints")
        for endpoint in info.endpoints:
            expect(endpoint.expiration_time is not None, "an endpoint without expiration time")
            expect([str(l) for l in endpoint.locations] != [], "an endpoint without location")

    def cancel_twice():
        info = client.get_flight_info(flight.FlightDescriptor.for_command(b"SELECT 2"), options)
        expect(cancel_status(info) == CANCELLED, "first cancel")
        expect(cancel_status(info) == CANCELLED, "second cancel of the same FlightInfo")

    def cancel_dataset():
        info = client.get_flight_info(flight.FlightDescriptor.for_path("tables", "t"), options)
        expect(cancel_status(info) == NOT_CANCELLABLE, "cancel of a PATH dataset")

    def renew():
        info = client.get_flight_info(flight.FlightDescriptor.for_command(b"SELECT 3"), options)
        endpoint = info.endpoints[0]
        request = message("RenewFlightEndpointRequest")()
        request.endpoint.ParseFromString(endpoint.serialize())
        renewed = flight.FlightEndpoint.deserialize(action("RenewFlightEndpoint", request.SerializeToString()))
        expect(renewed.ticket == endpoint.ticket, "renewed ticket")
        expect(renewed.locations == endpoint.locations, "renewed locations")
        expect(renewed.expiration_time.value > endpoint.expiration_time.value, "expiration not later")

    def errors():
        expect_error(pa.ArrowInvalid, "Action.body of `CancelFlightInfo`", lambda: action("CancelFlightInfo", b"\x0a\x09"))
        expect_error(pa.ArrowInvalid, "cancel_flight_info_request.info: must be set", lambda: action("CancelFlightInfo", b""))
        unknown = flight.FlightInfo(None, flight.FlightDescriptor.for_command(b"x"), [flight.FlightEndpoint(b"nope", [])])
        expect_error(pa.ArrowKeyError, "no query has the ticket", lambda: cancel_status(unknown))
        expect_error(NotImplementedError, "DropTable", lambda: action("DropTable", b""))

    for check in (list_actions, get_flight_info, cancel_twice, cancel_dataset, renew, errors):
        checks.run(f"flight_server: {check.__name__}", check)
    client.close()


def pyarrow_messages():
    """(type, bytes) serialised by pyarrow: varied on purpose."""
    schema = pa.schema([pa.field("a", pa.int32()), pa.field("é", pa.string(), metadata={b"k": b"v"})])
    expires = pa.scalar(1_700_000_000_123_456_789, pa.timestamp("ns", tz="UTC"))
    tickets = [flight.Ticket(b""), flight.Ticket(b"query-1/0"), flight.Ticket(bytes(range(256)))]
    endpoints = [
        flight.FlightEndpoint(b"t", []),
        flight.FlightEndpoint(b"t\x00\xff", ["grpc+tcp://127.0.0.1:1", "grpc+tls://example.invalid:443"]),
        flight.FlightEndpoint(b"e", ["grpc://[::1]:5"], expiration_time=expires, app_metadata=b"\x00meta\xff"),
        flight.FlightEndpoint(b"", [], expiration_time=pa.scalar(0, pa.timestamp("ns", tz="UTC"))),
    ]
    infos = [
        flight.FlightInfo(schema, flight.FlightDescriptor.for_command(b"SELECT 1"), endpoints, -1, -1),
        flight.FlightInfo(schema, flight.FlightDescriptor.for_path("a", "日本", ""), endpoints[:1], 2**62, 12, True, b"am"),
        flight.FlightInfo(None, flight.FlightDescriptor.for_command(b""), [], 0, 0),
    ]
    return (
        [("Ticket", t.serialize()) for t in tickets]
        + [("FlightEndpoint", e.serialize()) for e in endpoints]
        + [("FlightInfo", i.serialize()) for i in infos]
    )


def round_trip(binary, type_name, wire):
    back = cancelwire(binary, type_name, "binary", "binary", wire)
    expect(back == wire, f"binary: pyarrow {wire.hex()} cancelwire {back.hex()}")
    via_json = cancelwire(binary, type_name, "json", "binary", cancelwire(binary, type_name, "binary", "json", wire))
    expect(via_json == wire, f"via JSON: pyarrow {wire.hex()} cancelwire {via_json.hex()}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("flight_server")
    parser.add_argument("cancelwire")
    parser.add_argument("descriptor_set")
    args = parser.parse_args()
    signal.alarm(WHOLE_RUN_SECONDS)  # the last bound: SIGALRM ends the run

    message = load_messages(args.descriptor_set)
    checks = Checks()
    served = []
    server = Server(args.flight_server)
    try:
        flight_checks(checks, server, args.cancelwire, message, served)
        status = server.stop()
        checks.run("flight_server: exits 0 on SIGTERM", lambda: expect(status == 0, f"exit status {status}"))
    finally:
        server.kill()

    messages = pyarrow_messages() + served
    for index, (type_name, wire) in enumerate(messages):
        checks.run(f"round trip {type_name} #{index}", round_trip, args.cancelwire, type_name, wire)

    print(f"pyarrow {pa.__version__} flight interop:")
    print(f"{checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
