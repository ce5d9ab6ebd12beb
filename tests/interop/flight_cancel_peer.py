"""An Arrow C++ Flight server (pyarrow's FlightServerBase), the peer of the
Rust client's tests (tests/client/peers.rs), which start and stop it.

- DoAction "CancelFlightInfo": the request body is read as a
  CancelFlightInfoRequest with Python protobuf (the reference descriptors)
  and its FlightInfo by pyarrow; the answers follow --cancel-script, one
  entry per request (the last repeats): a CancelStatus name (UNSPECIFIED,
  CANCELLED, CANCELLING, NOT_CANCELLABLE), serialised as a
  CancelFlightInfoResult, or NOT_FOUND, an error.
- GetFlightInfo sleeps --slow seconds, then answers one endpoint whose
  ticket is the command.
- PollFlightInfo is not in pyarrow 26's Python API: calls to it are
  answered UNIMPLEMENTED by Arrow C++ itself.

Prints "listening addr=127.0.0.1:PORT" once it accepts calls, then one line
per call ("action CancelFlightInfo STATUS descriptor=CMD",
"get_flight_info CMD"); stops on SIGTERM or when stdin closes.

usage: flight_cancel_peer.py DESCRIPTOR_SET [--cancel-script LIST] [--slow S]
"""

import argparse
import signal
import sys
import threading
import time

import pyarrow as pa
import pyarrow.flight as flight
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

PACKAGE = "arrow.flight.protocol"
STATUSES = {"UNSPECIFIED": 0, "CANCELLED": 1, "CANCELLING": 2, "NOT_CANCELLABLE": 3}


def load_messages(path):
    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(descriptor_pb2.DESCRIPTOR.serialized_pb)
    files = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as f:
        files.ParseFromString(f.read())
    for file in files.file:
        pool.Add(file)
    return lambda name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{PACKAGE}.{name}"))


class Server(flight.FlightServerBase):
    def __init__(self, messages, script, slow):
        super().__init__("grpc://127.0.0.1:0")
        self.request_type = messages("CancelFlightInfoRequest")
        self.result_type = messages("CancelFlightInfoResult")
        self.script = script
        self.slow = slow
        self.cancels = 0
        self.lock = threading.Lock()

    def get_flight_info(self, context, descriptor):
        command = descriptor.command.decode()
        print(f"get_flight_info {command}", flush=True)
        time.sleep(self.slow)
        schema = pa.schema([("value", pa.int64())])
        endpoint = flight.FlightEndpoint(descriptor.command, [])
        return flight.FlightInfo(schema, descriptor, [endpoint], -1, -1)

    def do_action(self, context, action):
        if action.type != "CancelFlightInfo":
            raise flight.FlightServerError(f"unknown action {action.type}")
        request = self.request_type()
        request.ParseFromString(action.body.to_pybytes())
        info = flight.FlightInfo.deserialize(request.info.SerializeToString())
        command = info.descriptor.command.decode() if info.descriptor is not None else ""
        with self.lock:
            answer = self.script[min(self.cancels, len(self.script) - 1)]
            self.cancels += 1
        print(f"action CancelFlightInfo {answer} descriptor={command}", flush=True)
        if answer == "NOT_FOUND":
            raise KeyError(f"no query {command!r}")
        result = self.result_type(status=STATUSES[answer])
        return [flight.Result(pa.py_buffer(result.SerializeToString()))]

    def list_actions(self, context):
        return [("CancelFlightInfo", "Cancel the query behind a FlightInfo.")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("descriptor_set")
    parser.add_argument("--cancel-script", default="CANCELLED")
    parser.add_argument("--slow", type=float, default=0.0)
    args = parser.parse_args()
    script = args.cancel_script.split(",")
    for entry in script:
        if entry not in STATUSES and entry != "NOT_FOUND":
            parser.error(f"unknown script entry {entry!r}")

    server = Server(load_messages(args.descriptor_set), script, args.slow)
    print(f"listening addr=127.0.0.1:{server.port}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait()
    server.shutdown()


if __name__ == "__main__":
    main()
