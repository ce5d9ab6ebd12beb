//! Our `.proto` files must describe exactly upstream's wire contract. The
//! reference is `tests/data/vectors/reference_descriptor_set.binpb`, made from
//! googleapis' and Arrow's own files.

use crate::common;

use prost::Message;
use prost_types::{DescriptorProto, EnumDescriptorProto, FileDescriptorSet};
use std::collections::BTreeMap;

/// Packages whose every message, enum and service we define.
const OUR_PACKAGES: &[&str] = &[
    "arrow.flight.protocol",
    "google.longrunning",
    "google.rpc",
    "google.protobuf",
];

struct Flat {
    messages: BTreeMap<String, DescriptorProto>,
    enums: BTreeMap<String, EnumDescriptorProto>,
    methods: BTreeMap<String, (String, String, bool, bool)>,
}

fn flatten(set: &FileDescriptorSet) -> Flat {
    fn visit(prefix: &str, message: &DescriptorProto, flat: &mut Flat) {
        let name = format!("{prefix}.{}", message.name());
        for nested in &message.nested_type {
            visit(&name, nested, flat);
        }
        for e in &message.enum_type {
            flat.enums.insert(format!("{name}.{}", e.name()), e.clone());
        }
        flat.messages.insert(name, message.clone());
    }
    let mut flat = Flat {
        messages: BTreeMap::new(),
        enums: BTreeMap::new(),
        methods: BTreeMap::new(),
    };
    for file in &set.file {
        // descriptor.proto is imported for an option only; it is protobuf's.
        if !OUR_PACKAGES.contains(&file.package())
            || file.name() == "google/protobuf/descriptor.proto"
        {
            continue;
        }
        let prefix = format!(".{}", file.package());
        for message in &file.message_type {
            visit(&prefix, message, &mut flat);
        }
        for e in &file.enum_type {
            flat.enums
                .insert(format!("{prefix}.{}", e.name()), e.clone());
        }
        for service in &file.service {
            for m in &service.method {
                flat.methods.insert(
                    format!("{prefix}.{}.{}", service.name(), m.name()),
                    (
                        m.input_type().to_owned(),
                        m.output_type().to_owned(),
                        m.client_streaming(),
                        m.server_streaming(),
                    ),
                );
            }
        }
    }
    flat
}

fn ours() -> Flat {
    flatten(&FileDescriptorSet::decode(cancelwire::FILE_DESCRIPTOR_SET).expect("our set decodes"))
}

fn reference() -> Flat {
    let bytes =
        std::fs::read(common::data_path("reference_descriptor_set.binpb")).expect("reference set");
    flatten(&FileDescriptorSet::decode(bytes.as_slice()).expect("reference set decodes"))
}

/// Everything about a field that the binary or JSON wire depends on.
fn wire_contract(message: &DescriptorProto) -> BTreeMap<i32, String> {
    message
        .field
        .iter()
        .map(|f| {
            let oneof = f
                .oneof_index
                .map(|i| message.oneof_decl[i as usize].name().to_owned());
            (
                f.number(),
                format!(
                    "name={} type={:?} label={:?} type_name={} json_name={} oneof={:?} proto3_optional={}",
                    f.name(),
                    f.r#type(),
                    f.label(),
                    f.type_name(),
                    f.json_name(),
                    oneof,
                    f.proto3_optional(),
                ),
            )
        })
        .collect()
}

#[test]
fn every_message_has_upstreams_fields() {
    let (ours, reference) = (ours(), reference());
    assert!(
        ours.messages.len() >= 40,
        "only {} messages",
        ours.messages.len()
    );
    for (name, message) in &ours.messages {
        let upstream = reference
            .messages
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not in the reference"));
        assert_eq!(
            wire_contract(message),
            wire_contract(upstream),
            "fields of {name}"
        );
        let is_map = |m: &DescriptorProto| m.options.as_ref().is_some_and(|o| o.map_entry());
        assert_eq!(
            is_map(message),
            is_map(upstream),
            "map entry flag of {name}"
        );
    }
    for name in reference.messages.keys() {
        assert!(ours.messages.contains_key(name), "we lack {name}");
    }
}

#[test]
fn every_enum_has_upstreams_values() {
    let (ours, reference) = (ours(), reference());
    let values = |e: &EnumDescriptorProto| -> Vec<(String, i32)> {
        e.value
            .iter()
            .map(|v| (v.name().to_owned(), v.number()))
            .collect()
    };
    assert_eq!(
        ours.enums.keys().collect::<Vec<_>>(),
        reference.enums.keys().collect::<Vec<_>>()
    );
    for (name, e) in &ours.enums {
        assert_eq!(
            values(e),
            values(&reference.enums[name]),
            "values of {name}"
        );
    }
}

#[test]
fn operations_service_has_upstreams_methods() {
    let (ours, reference) = (ours(), reference());
    assert_eq!(ours.methods.len(), 5);
    assert_eq!(ours.methods, reference.methods);
}

#[test]
fn open_enum_constants_match_the_reference_enums() {
    use cancelwire::{flight, rpc};
    let enums: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(common::data_path("enums.json")).unwrap())
            .unwrap();
    let check = |proto: &str, known: Vec<(Option<&'static str>, i32)>| {
        let expected: Vec<(Option<&str>, i32)> = enums[proto]
            .as_array()
            .unwrap_or_else(|| panic!("{proto} missing from enums.json"))
            .iter()
            .map(|v| (v["name"].as_str(), v["number"].as_i64().unwrap() as i32))
            .collect();
        assert_eq!(known, expected, "{proto}");
    };
    check(
        "arrow.flight.protocol.CancelStatus",
        flight::CancelStatus::KNOWN
            .iter()
            .map(|v| (v.as_str_name(), v.as_i32()))
            .collect(),
    );
    check(
        "arrow.flight.protocol.FlightDescriptor.DescriptorType",
        flight::DescriptorType::KNOWN
            .iter()
            .map(|v| (v.as_str_name(), v.as_i32()))
            .collect(),
    );
    check(
        "google.rpc.Code",
        rpc::Code::KNOWN
            .iter()
            .map(|v| (v.as_str_name(), v.as_i32()))
            .collect(),
    );
}
