"""A google.longrunning.Operations server on Google's own generated stubs
(googleapis-common-protos' operations_pb2_grpc and grpcio), the peer of the
Rust client's tests (tests/client/peers.rs), which start and stop it.

Operations `operations/op-1` ... `operations/op-N` start when the server
does; each reports its progress as a google.protobuf.DoubleValue in its
metadata and completes after --run-for seconds with a
google.protobuf.Timestamp response, unless cancelled first: then it is done
with an error of code CANCELLED (1), as AIP-151 says.

--mode wait     WaitOperation waits until done or its timeout
--mode no-wait  WaitOperation is left to the generated base class, which
                answers UNIMPLEMENTED
--unavailable-for SECONDS  every call fails with UNAVAILABLE for that long
                after the start

Prints "listening addr=127.0.0.1:PORT" once it accepts calls, and one line
"call RPC NAME" per call; stops on SIGTERM or when stdin closes.

usage: operations_peer.py [--mode wait|no-wait] [--seed N] [--run-for S]
                          [--unavailable-for S]
"""

import argparse
import signal
import sys
import threading
import time
from concurrent import futures

import grpc
from google.longrunning import operations_pb2, operations_pb2_grpc
from google.protobuf import any_pb2, empty_pb2, timestamp_pb2, wrappers_pb2
from google.rpc import code_pb2, status_pb2


class Store:
    def __init__(self, count, run_for):
        self.started = time.monotonic()
        self.run_for = run_for
        self.lock = threading.Condition()
        self.cancelled = {}
        self.names = [f"operations/op-{i}" for i in range(1, count + 1)]

    def get(self, name, context):
        if name not in self.names:
            context.abort(grpc.StatusCode.NOT_FOUND, f"no operation `{name}`")
        elapsed = time.monotonic() - self.started
        op = operations_pb2.Operation(name=name)
        metadata = any_pb2.Any()
        metadata.Pack(wrappers_pb2.DoubleValue(value=min(elapsed / self.run_for, 1.0)))
        op.metadata.CopyFrom(metadata)
        with self.lock:
            cancelled = self.cancelled.get(name)
        if cancelled is not None:
            op.done = True
            op.error.CopyFrom(status_pb2.Status(code=code_pb2.CANCELLED, message="cancelled by the client"))
        elif elapsed >= self.run_for:
            op.done = True
            response = any_pb2.Any()
            response.Pack(timestamp_pb2.Timestamp(seconds=1_800_000_000))
            op.response.CopyFrom(response)
        return op

    def left(self, name):
        return max(self.run_for - (time.monotonic() - self.started), 0.0)


class Operations(operations_pb2_grpc.OperationsServicer):
    def __init__(self, store, unavailable_for):
        self.store = store
        self.unavailable_until = time.monotonic() + unavailable_for

    def enter(self, rpc, name, context):
        print(f"call {rpc} {name}", flush=True)
        if time.monotonic() < self.unavailable_until:
            context.abort(grpc.StatusCode.UNAVAILABLE, "warming up")

    def GetOperation(self, request, context):
        self.enter("GetOperation", request.name, context)
        return self.store.get(request.name, context)

    def CancelOperation(self, request, context):
        self.enter("CancelOperation", request.name, context)
        op = self.store.get(request.name, context)
        if not op.done:
            with self.store.lock:
                self.store.cancelled[request.name] = True
                self.store.lock.notify_all()
        return empty_pb2.Empty()

    def ListOperations(self, request, context):
        self.enter("ListOperations", request.name, context)
        return operations_pb2.ListOperationsResponse(
            operations=[self.store.get(name, context) for name in self.store.names]
        )


class WaitingOperations(Operations):
    def WaitOperation(self, request, context):
        self.enter("WaitOperation", request.name, context)
        timeout = request.timeout.ToTimedelta().total_seconds() if request.HasField("timeout") else 10.0
        op = self.store.get(request.name, context)
        if not op.done:
            with self.store.lock:
                self.store.lock.wait_for(
                    lambda: request.name in self.store.cancelled,
                    timeout=min(timeout, self.store.left(request.name)),
                )
            op = self.store.get(request.name, context)
        return op


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["wait", "no-wait"], default="wait")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--run-for", type=float, default=2.0)
    parser.add_argument("--unavailable-for", type=float, default=0.0)
    args = parser.parse_args()

    store = Store(args.seed, args.run_for)
    servicer = (WaitingOperations if args.mode == "wait" else Operations)(store, args.unavailable_for)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    operations_pb2_grpc.add_OperationsServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(f"listening addr=127.0.0.1:{port}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait()
    server.stop(grace=0.5).wait()


if __name__ == "__main__":
    main()
