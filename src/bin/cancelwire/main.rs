//! `cancelwire`: transcode, validate and show the crate's messages from the
//! command line. Reads standard input, writes standard output.
//!
//! Exit status: 0 on success, 1 when the input is rejected (one line on
//! standard error says what and where; `validate` prints one line per
//! violation), 2 on a usage error.

// Whatever comes in on stdin or the command line, the tool answers with an
// exit status and a message, never a panic.

mod args;
mod examples;

use args::{Command, Format};
use cancelwire::DecodeBudget;
use cancelwire::json::JsonOptions;
use cancelwire::registry::{DynMessage, MessageType, Registry};
use std::io::{Read, Write};
use std::process::ExitCode;

/// A failure with the exit status it maps to.
enum Failure {
    /// The input was rejected: exit 1.
    Rejected(String),
    /// The command line is wrong: exit 2.
    Usage(String),
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match args::parse(&argv).map_err(Failure::Usage).and_then(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Rejected(message)) => {
            complain(&format!("cancelwire: {message}\n"));
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            complain(&format!("cancelwire: {message}\n\n{}", args::USAGE));
            ExitCode::from(2)
        }
    }
}

/// Writes to standard error; a closed stderr must not turn into a panic.
fn complain(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

fn run(command: Command) -> Result<(), Failure> {
    let registry = Registry::default();
    match command {
        Command::Help => write_stdout(args::USAGE.as_bytes()),
        Command::Types => {
            let names: String = registry.names().map(|name| format!("{name}\n")).collect();
            write_stdout(names.as_bytes())
        }
        Command::Example { name: None } => {
            let list: String = examples::ALL
                .iter()
                .map(|e| format!("{:<28} {} ({})\n", e.name, e.about, e.type_name()))
                .collect();
            write_stdout(list.as_bytes())
        }
        Command::Example { name: Some(name) } => {
            let example = examples::ALL
                .iter()
                .find(|e| e.name == name)
                .ok_or_else(|| {
                    Failure::Usage(format!(
                        "no example named `{name}`; `cancelwire example` lists them"
                    ))
                })?;
            let message = (example.build)();
            let json = message
                .to_json(&JsonOptions::new(), true)
                .map_err(|e| Failure::Rejected(e.to_string()))?;
            write_stdout(format!("{json}\n").as_bytes())
        }
        Command::Convert {
            type_name,
            from,
            to,
            ignore_unknown_fields,
            compact,
            budget,
        } => {
            let message_type = lookup(&registry, &type_name)?;
            let options = JsonOptions::new().ignore_unknown_fields(ignore_unknown_fields);
            let message = read_message(message_type, from, &options, &budget)?;
            let output = render(message.as_ref(), to, &options, compact)?;
            write_stdout(&output)
        }
        Command::Validate {
            type_name,
            from,
            budget,
        } => {
            let message_type = lookup(&registry, &type_name)?;
            let message = read_message(message_type, from, &JsonOptions::new(), &budget)?;
            let violations =
                cancelwire::validate::violations_of(message.as_ref()).unwrap_or_default();
            if violations.is_empty() {
                return Ok(());
            }
            let lines: Vec<String> = violations.iter().map(ToString::to_string).collect();
            Err(Failure::Rejected(lines.join("\ncancelwire: ")))
        }
    }
}

fn lookup<'r>(registry: &'r Registry, type_name: &str) -> Result<&'r MessageType, Failure> {
    registry.get(type_name).ok_or_else(|| {
        Failure::Usage(format!(
            "unknown type `{type_name}`; `cancelwire types` lists them"
        ))
    })
}

fn read_message(
    message_type: &MessageType,
    format: Format,
    options: &JsonOptions,
    budget: &DecodeBudget,
) -> Result<Box<dyn DynMessage>, Failure> {
    let options = &options.clone().budget(*budget);
    let mut input = Vec::new();
    std::io::stdin()
        .read_to_end(&mut input)
        .map_err(|e| Failure::Rejected(format!("cannot read standard input: {e}")))?;
    let rejected = |e: &dyn std::fmt::Display| Failure::Rejected(e.to_string());
    match format {
        Format::Json => {
            let text = std::str::from_utf8(&input)
                .map_err(|e| Failure::Rejected(format!("JSON input is not UTF-8: {e}")))?;
            message_type
                .parse_json(text, options)
                .map_err(|e| rejected(&e))
        }
        Format::Binary => message_type
            .decode_with(input.into(), budget)
            .map_err(|e| rejected(&e)),
        Format::Hex => {
            let bytes = args::decode_hex(&input).map_err(Failure::Rejected)?;
            message_type
                .decode_with(bytes.into(), budget)
                .map_err(|e| rejected(&e))
        }
        Format::Base64 => {
            let bytes = args::decode_base64(&input).map_err(Failure::Rejected)?;
            message_type
                .decode_with(bytes.into(), budget)
                .map_err(|e| rejected(&e))
        }
    }
}

fn render(
    message: &dyn DynMessage,
    format: Format,
    options: &JsonOptions,
    compact: bool,
) -> Result<Vec<u8>, Failure> {
    Ok(match format {
        Format::Json => {
            let json = message
                .to_json(options, !compact)
                .map_err(|e| Failure::Rejected(e.to_string()))?;
            format!("{json}\n").into_bytes()
        }
        Format::Binary => message.to_binary(),
        Format::Hex => {
            let mut hex: String = message
                .to_binary()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            hex.push('\n');
            hex.into_bytes()
        }
        Format::Base64 => format!("{}\n", args::encode_base64(&message.to_binary())).into_bytes(),
    })
}

fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::Rejected(format!("cannot write standard output: {e}")))
}
