//! The googleapis sample as a transcoder, for the upb differential:
//!
//! ```text
//! cancelwire-googleapis-sample convert --type T --from binary|json --to hex|json|binary
//! cancelwire-googleapis-sample descriptor-set > set.binpb
//! cancelwire-googleapis-sample packages
//! cancelwire-googleapis-sample types
//! ```
//!
//! Input on stdin, output on stdout; exit 1 where the input is rejected,
//! 2 on a usage error.

use cancelwire::json::JsonOptions;
use cancelwire::registry::Registry;
use std::io::{Read, Write};
use std::process::ExitCode;

include!(concat!(env!("OUT_DIR"), "/googleapis.rs"));
include!(concat!(env!("OUT_DIR"), "/register_all.rs"));

fn convert(args: &[String], input: Vec<u8>) -> Result<Vec<u8>, (u8, String)> {
    let usage = || {
        (
            2,
            "usage: convert --type T --from binary|json --to hex|json|binary".to_owned(),
        )
    };
    let [flag_type, type_name, flag_from, from, flag_to, to] = args else {
        return Err(usage());
    };
    if (flag_type.as_str(), flag_from.as_str(), flag_to.as_str()) != ("--type", "--from", "--to") {
        return Err(usage());
    }
    let mut registry = Registry::default();
    register_all(&mut registry);
    let options = JsonOptions::new().registry(registry.clone());
    let message_type = registry
        .get(type_name)
        .ok_or_else(|| (2, format!("unknown type {type_name}")))?;
    let message = match from.as_str() {
        "binary" => message_type
            .decode(bytes::Bytes::from(input))
            .map_err(|e| (1, e.to_string()))?,
        "json" => {
            let text = String::from_utf8(input).map_err(|e| (1, e.to_string()))?;
            message_type
                .parse_json(&text, &options)
                .map_err(|e| (1, e.to_string()))?
        }
        _ => return Err(usage()),
    };
    Ok(match to.as_str() {
        "binary" => message.to_binary(),
        "hex" => message
            .to_binary()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
            .into_bytes(),
        "json" => message
            .to_json(&options, false)
            .map_err(|e| (1, e.to_string()))?
            .into_bytes(),
        _ => return Err(usage()),
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("convert") => {
            let mut input = Vec::new();
            match std::io::stdin().read_to_end(&mut input) {
                Ok(_) => convert(&args[1..], input),
                Err(e) => Err((1, e.to_string())),
            }
        }
        Some("descriptor-set") => {
            Ok(include_bytes!(concat!(env!("OUT_DIR"), "/descriptors.binpb")).to_vec())
        }
        Some("packages") => Ok(include_str!(concat!(env!("OUT_DIR"), "/packages.txt"))
            .as_bytes()
            .to_vec()),
        Some("types") => {
            let mut registry = Registry::default();
            register_all(&mut registry);
            Ok(registry
                .names()
                .map(|n| format!("{n}\n"))
                .collect::<String>()
                .into_bytes())
        }
        _ => Err((
            2,
            "usage: convert ... | descriptor-set | packages | types".to_owned(),
        )),
    };
    match result {
        Ok(output) => match std::io::stdout().write_all(&output) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(1),
        },
        Err((code, message)) => {
            eprintln!("cancelwire-googleapis-sample: {message}");
            ExitCode::from(code)
        }
    }
}
