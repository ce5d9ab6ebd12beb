"""Differential test against Python protobuf (upb), the implementation that
made the reference vectors.

Random messages of every type the crate defines are built with upb from the
reference descriptor set and serialized deterministically. The `cancelwire`
binary must:
  * decode those bytes and re-encode them byte for byte,
  * print the same ProtoJSON as upb's json_format (compared as JSON values),
    or fail where upb fails,
  * parse upb's JSON back to the message upb parses from it.

usage: upb_differential.py CANCELWIRE_BINARY DESCRIPTOR_SET [--seed N] [--count N]
                           [--packages a.b,c.d]
With --packages, the messages drawn are those of the packages named instead of
cancelwire's own (the googleapis sample of scripts/googleapis, whose binary
takes the same `convert` arguments). Ends with the line "N passed, N failed"; exits 1 on any failure.
"""

import argparse
import json
import random
import subprocess
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
from google.protobuf.descriptor import FieldDescriptor as FD

OUR_PACKAGES = ("arrow.flight.protocol", "google.longrunning", "google.rpc", "google.protobuf")
ANY_TARGETS = [
    "google.rpc.ErrorInfo",
    "google.protobuf.Duration",
    "arrow.flight.protocol.Ticket",
    "google.protobuf.Struct",
    "google.protobuf.Int64Value",
    "google.protobuf.Empty",
]
# Strings chosen to hit map-key ordering (prefixes, empty), escapes and non-ASCII.
STRINGS = ["", "a", "ab", "k", "a_b", "é日本", "\u0000", "🚀", "xxxxx"]


class Generator:
    """Builds random messages; depth bounds recursion through Struct and Any."""

    def __init__(self, pool, seed):
        self.pool = pool
        self.rng = random.Random(seed)
        self.any_targets = [name for name in ANY_TARGETS if self.known(name)]

    def known(self, name):
        try:
            self.pool.FindMessageTypeByName(name)
            return True
        except KeyError:
            return False

    def message_class(self, name):
        return message_factory.GetMessageClass(self.pool.FindMessageTypeByName(name))

    def scalar(self, field):
        r, t = self.rng, field.type
        if t == FD.TYPE_STRING:
            return r.choice(STRINGS)
        if t == FD.TYPE_BYTES:
            return bytes(r.randrange(256) for _ in range(r.randrange(6)))
        if t == FD.TYPE_BOOL:
            return r.random() < 0.5
        if t in (FD.TYPE_INT32, FD.TYPE_SINT32, FD.TYPE_SFIXED32):
            return r.choice([0, 1, -1, 2**31 - 1, -(2**31), r.randint(-1000, 1000)])
        if t in (FD.TYPE_INT64, FD.TYPE_SINT64, FD.TYPE_SFIXED64):
            return r.choice([0, 1, -1, 2**63 - 1, -(2**63), 2**53 + 1, r.randint(-(10**12), 10**12)])
        if t in (FD.TYPE_UINT32, FD.TYPE_FIXED32):
            return r.choice([0, 1, 2**32 - 1])
        if t in (FD.TYPE_UINT64, FD.TYPE_FIXED64):
            return r.choice([0, 1, 2**64 - 1])
        if t in (FD.TYPE_DOUBLE, FD.TYPE_FLOAT):
            return r.choice([0.0, -0.0, 1.5, -2.25, 1e20, 0.1, 3.0])
        if t == FD.TYPE_ENUM:
            # Unknown numbers too: they must survive both codecs.
            return r.choice([v.number for v in field.enum_type.values] + [99, -5])
        raise ValueError(f"unhandled field type {t}")

    def fill(self, message, depth=0):
        r = self.rng
        name = message.DESCRIPTOR.full_name
        if name == "google.protobuf.Timestamp":
            message.seconds = r.randint(-62135596800, 253402300799)
            message.nanos = r.choice([0, 5, 456000, 123000000, 999999999])
        elif name == "google.protobuf.Duration":
            seconds = r.randint(-(10**6), 10**6)
            nanos = r.choice([0, 1, 500000000, 999999999])
            message.seconds = seconds
            message.nanos = -nanos if seconds < 0 or (seconds == 0 and r.random() < 0.5) else nanos
        elif name == "google.protobuf.FieldMask":
            message.paths.extend(r.choice([[], ["a"], ["a.b_c", "d"]]))
        elif name == "google.protobuf.Value":
            self.fill_value(message, depth)
        elif name == "google.protobuf.Any":
            targets = self.any_targets + (["google.protobuf.Any"] if depth < 2 else [])
            target = r.choice(targets)
            inner = self.message_class(target)()
            self.fill(inner, depth + 1)
            message.type_url = "type.googleapis.com/" + target
            message.value = inner.SerializeToString(deterministic=True)
        else:
            for field in message.DESCRIPTOR.fields:
                if r.random() < 0.4:
                    self.fill_field(message, field, depth)

    def fill_value(self, value, depth):
        kind = self.rng.randint(0, 5 if depth < 3 else 3)
        if kind == 0:
            value.null_value = 0
        elif kind == 1:
            value.number_value = self.rng.choice([1.5, 3.0, -0.0, 0.0, 1e300])
        elif kind == 2:
            value.string_value = self.rng.choice(STRINGS)
        elif kind == 3:
            value.bool_value = self.rng.random() < 0.5
        elif kind == 4:
            self.fill(value.struct_value, depth + 1)
        else:
            for _ in range(self.rng.randrange(3)):
                self.fill(value.list_value.values.add(), depth + 1)

    def fill_field(self, message, field, depth):
        target = getattr(message, field.name)
        is_map = field.message_type is not None and field.message_type.GetOptions().map_entry
        if is_map:
            key_field = field.message_type.fields_by_name["key"]
            value_field = field.message_type.fields_by_name["value"]
            for _ in range(self.rng.randrange(4)):
                key = self.rng.choice(STRINGS) if key_field.type == FD.TYPE_STRING else self.scalar(key_field)
                if value_field.message_type is None:
                    target[key] = self.scalar(value_field)
                elif depth < 3:
                    self.fill(target[key], depth + 1)
        elif field.is_repeated:
            for _ in range(self.rng.randrange(3)):
                if field.message_type is None:
                    target.append(self.scalar(field))
                elif depth < 3:
                    self.fill(target.add(), depth + 1)
        elif field.message_type is not None:
            if depth < 3:
                self.fill(target, depth + 1)
                target.SetInParent()
        else:
            setattr(message, field.name, self.scalar(field))


def load_pool(path, packages=OUR_PACKAGES):
    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(descriptor_pb2.DESCRIPTOR.serialized_pb)
    files = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as f:
        files.ParseFromString(f.read())
    names = []
    for file in files.file:
        if file.name == "google/protobuf/descriptor.proto":
            continue  # added above; a set that imports it carries it too
        pool.Add(file)
        if file.package in packages:
            collect_names(file.package, file.message_type, names)
    return pool, names


def collect_names(prefix, messages, out):
    for message in messages:
        if not message.options.map_entry:
            out.append(f"{prefix}.{message.name}")
            collect_names(f"{prefix}.{message.name}", message.nested_type, out)


def convert(binary, type_name, source, target, data):
    return subprocess.run(
        [binary, "convert", "--type", type_name, "--from", source, "--to", target],
        input=data,
        capture_output=True,
        timeout=30,
    )


def check(binary, pool, type_name, message):
    """Returns None when cancelwire agrees with upb, else what differs."""
    wire = message.SerializeToString(deterministic=True)
    run = convert(binary, type_name, "binary", "hex", wire)
    if run.returncode != 0 or run.stdout.decode().strip() != wire.hex():
        return f"binary re-encoding: upb {wire.hex()} ours {run.stdout.decode().strip()} {run.stderr.decode()}"

    try:
        upb_json = json_format.MessageToJson(message, descriptor_pool=pool)
    except Exception as error:  # upb refuses to print it: so must we
        run = convert(binary, type_name, "binary", "json", wire)
        return None if run.returncode == 1 else f"printed JSON that upb rejects ({error}) for {wire.hex()}"

    run = convert(binary, type_name, "binary", "json", wire)
    if run.returncode != 0:
        return f"JSON printing failed for {wire.hex()}: {run.stderr.decode()}"
    if json.loads(run.stdout) != json.loads(upb_json):
        return f"JSON differs for {wire.hex()}:\n ours {run.stdout.decode()}\n upb  {upb_json}"

    run = convert(binary, type_name, "json", "binary", upb_json.encode())
    if run.returncode != 0:
        return f"cannot parse upb's JSON {upb_json}: {run.stderr.decode()}"
    ours, theirs = message.__class__(), message.__class__()
    ours.ParseFromString(run.stdout)
    json_format.Parse(upb_json, theirs, descriptor_pool=pool)
    # upb re-packs maps inside Any payloads in a random order, so compare the
    # parsed messages through their JSON rather than their bytes.
    if json_format.MessageToDict(ours, descriptor_pool=pool) != json_format.MessageToDict(theirs, descriptor_pool=pool):
        return f"parsing {upb_json} gave {run.stdout.hex()}"
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("descriptor_set")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--packages", help="comma-separated packages to draw messages from")
    args = parser.parse_args()

    packages = tuple(args.packages.split(",")) if args.packages else OUR_PACKAGES
    pool, names = load_pool(args.descriptor_set, packages)
    if args.packages:
        # A package is generated file by file: only the messages the binary
        # has (`types`), not those of files nothing it generated uses.
        known = set(subprocess.run([args.binary, "types"], capture_output=True, check=True).stdout.decode().split())
        names = [name for name in names if name in known]
    generator = Generator(pool, args.seed)
    passed = failed = 0
    for _ in range(args.count):
        type_name = generator.rng.choice(names)
        message = generator.message_class(type_name)()
        generator.fill(message)
        problem = check(args.binary, pool, type_name, message)
        if problem is None:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {type_name}: {problem}")
    print(f"upb differential (seed {args.seed}, {len(names)} types):")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
