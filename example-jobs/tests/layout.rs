//! The shapes of `proto/my/layout/v1/layout.proto`, each of which real APIs
//! use and the generator once got wrong: that this file compiles is half of
//! each test, the other half is how the types behave.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cancelwire::json::JsonOptions;
use cancelwire::registry::Registry;
use example_jobs::my::api::v1::LaunchStage;
use example_jobs::my::layout::v1::{
    Config, Execution, Node, Outer, Release, ReplicaSelection, Small, Type, Workflow, config,
    execution, outer, release, replica_selection, workflow,
};
use example_jobs::my::r#type::v1::Date;
use prost::Message;

fn registry() -> Registry {
    let mut registry = Registry::default();
    example_jobs::my::layout::v1::register_types(&mut registry);
    example_jobs::my::r#type::v1::register_types(&mut registry);
    registry
}

/// Binary and JSON round trips, the JSON compared with `expected`.
fn round_trip<M>(message: &M, expected: serde_json::Value)
where
    M: Message + prost::Name + Default + PartialEq + std::fmt::Debug + serde::Serialize,
    M: serde::de::DeserializeOwned,
{
    let bytes = message.encode_to_vec();
    assert_eq!(&cancelwire::decode::<M>(bytes.as_slice()).unwrap(), message);
    let options = JsonOptions::new().registry(registry());
    let json = options.to_string(message).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json).unwrap(),
        expected
    );
    assert_eq!(&options.from_str::<M>(&json).unwrap(), message);
}

#[test]
fn nested_enums_of_one_name_live_in_their_messages_modules() {
    let workflow = Workflow {
        state: workflow::State::ACTIVE.into(),
        ..Default::default()
    };
    let execution = Execution {
        state: execution::State::SUCCEEDED.into(),
        ..Default::default()
    };
    assert_eq!(workflow::State::PROTO_NAME, "my.layout.v1.Workflow.State");
    assert_eq!(execution::State::PROTO_NAME, "my.layout.v1.Execution.State");
    round_trip(&workflow, serde_json::json!({"state": "ACTIVE"}));
    round_trip(&execution, serde_json::json!({"state": "SUCCEEDED"}));
}

#[test]
fn a_oneof_of_small_messages_is_clone_and_keeps_unknown_fields() {
    let mut small = Small {
        a: 7,
        ..Default::default()
    };
    small.unknown_fields = cancelwire::decode::<Small>(&[0x08, 0x07, 0xa0, 0x06, 0x01][..])
        .unwrap()
        .unknown_fields;
    let outer = Outer {
        choice: Some(outer::Choice::Other(small.clone())),
        ..Default::default()
    };
    let copy = outer.clone();
    assert_eq!(copy, outer);
    assert_eq!(
        outer.encode_to_vec(),
        [0x12, 0x05, 0x08, 0x07, 0xa0, 0x06, 0x01]
    );
    round_trip(
        &Outer {
            choice: Some(outer::Choice::Small(Small {
                a: 1,
                ..Default::default()
            })),
            ..Default::default()
        },
        serde_json::json!({"small": {"a": 1}}),
    );
}

#[test]
fn a_message_and_a_nested_enum_may_share_a_name() {
    let selection = ReplicaSelection {
        r#type: replica_selection::Type::READ_ONLY.into(),
        message_type: Some(Type {
            code: 3,
            ..Default::default()
        }),
        ..Default::default()
    };
    round_trip(
        &selection,
        serde_json::json!({"type": "READ_ONLY", "messageType": {"code": 3}}),
    );
}

#[test]
fn a_oneof_named_like_a_nested_message_is_named_with_one_of() {
    let config = Config {
        filter: Some(config::FilterOneOf::Included(config::Filter {
            names: vec!["a".into()],
            ..Default::default()
        })),
        ..Default::default()
    };
    round_trip(&config, serde_json::json!({"included": {"names": ["a"]}}));
    let excluded = Config {
        filter: Some(config::FilterOneOf::Excluded("b".into())),
        ..Default::default()
    };
    round_trip(&excluded, serde_json::json!({"excluded": "b"}));
}

#[test]
fn a_message_that_holds_itself_is_boxed() {
    let leaf = Node {
        name: "leaf".into(),
        ..Default::default()
    };
    let tree = Node {
        name: "root".into(),
        child: Some(Box::new(leaf.clone())),
        children: vec![leaf],
        ..Default::default()
    };
    round_trip(
        &tree,
        serde_json::json!({"name": "root", "child": {"name": "leaf"}, "children": [{"name": "leaf"}]}),
    );
}

#[test]
fn imported_packages_are_generated_keyword_and_enum_only_ones_too() {
    let release = Release {
        date: Some(Date {
            year: 2026,
            month: 12,
            day: 3,
            ..Default::default()
        }),
        stage: LaunchStage::BETA.into(),
        classification: release::Classification::KNOWN_.into(),
        ..Default::default()
    };
    assert_eq!(
        release::Classification::KNOWN,
        [
            release::Classification::UNSPECIFIED,
            release::Classification::KNOWN_,
            release::Classification::UNKNOWN,
        ]
    );
    round_trip(
        &release,
        serde_json::json!({
            "date": {"year": 2026, "month": 12, "day": 3},
            "stage": "BETA",
            "classification": "KNOWN"
        }),
    );
}
