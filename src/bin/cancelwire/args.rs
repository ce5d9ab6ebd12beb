//! The command line: `convert`, `validate`, `types`, `example`.

use cancelwire::DecodeBudget;

pub const USAGE: &str = "\
usage:
  cancelwire convert --type TYPE --from FORMAT --to FORMAT [--ignore-unknown-fields] [--compact]
                     [--max-depth N] [--max-input-bytes N] [--max-elements N]
  cancelwire validate --type TYPE --from FORMAT [--max-depth N] [--max-input-bytes N] [--max-elements N]
  cancelwire types
  cancelwire example [NAME]

FORMAT is one of binary, hex, base64, json. TYPE is a full protobuf name such as
google.longrunning.Operation (`cancelwire types` lists them). Input is read from
standard input, output written to standard output. Exit status: 0 success,
1 rejected input, 2 usage error.

Input is decoded within a budget: at most --max-depth levels of nesting
(default 100), --max-input-bytes bytes (default 67108864) and --max-elements
repeated and map entries, unknown fields and Struct values (default 1048576).
";

/// An input or output encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Binary,
    Hex,
    Base64,
    Json,
}

impl Format {
    fn parse(text: &str) -> Result<Self, String> {
        match text {
            "binary" => Ok(Self::Binary),
            "hex" => Ok(Self::Hex),
            "base64" => Ok(Self::Base64),
            "json" => Ok(Self::Json),
            other => Err(format!(
                "unknown format `{other}`: use binary, hex, base64 or json"
            )),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Help,
    Types,
    Example {
        name: Option<String>,
    },
    Convert {
        type_name: String,
        from: Format,
        to: Format,
        ignore_unknown_fields: bool,
        compact: bool,
        budget: DecodeBudget,
    },
    Validate {
        type_name: String,
        from: Format,
        budget: DecodeBudget,
    },
}

/// Options of `convert` and `validate`, before checking which are required.
#[derive(Default)]
struct Options {
    type_name: Option<String>,
    from: Option<Format>,
    to: Option<Format>,
    ignore_unknown_fields: bool,
    compact: bool,
    budget: DecodeBudget,
}

pub fn parse(argv: &[String]) -> Result<Command, String> {
    let Some((command, rest)) = argv.split_first() else {
        return Err("missing command".into());
    };
    match command.as_str() {
        "-h" | "--help" | "help" => Ok(Command::Help),
        "types" => no_more(rest).map(|()| Command::Types),
        "example" => match rest {
            [] => Ok(Command::Example { name: None }),
            [name] if !name.starts_with('-') => Ok(Command::Example {
                name: Some(name.clone()),
            }),
            _ => Err("`example` takes at most one NAME".into()),
        },
        "convert" => {
            let options = options(rest, true)?;
            Ok(Command::Convert {
                type_name: options.type_name.ok_or("`convert` needs --type")?,
                from: options.from.ok_or("`convert` needs --from")?,
                to: options.to.ok_or("`convert` needs --to")?,
                ignore_unknown_fields: options.ignore_unknown_fields,
                compact: options.compact,
                budget: options.budget,
            })
        }
        "validate" => {
            let options = options(rest, false)?;
            Ok(Command::Validate {
                type_name: options.type_name.ok_or("`validate` needs --type")?,
                from: options.from.ok_or("`validate` needs --from")?,
                budget: options.budget,
            })
        }
        other => Err(format!("unknown command `{other}`")),
    }
}

fn no_more(rest: &[String]) -> Result<(), String> {
    match rest.first() {
        None => Ok(()),
        Some(extra) => Err(format!("unexpected argument `{extra}`")),
    }
}

/// Reads `--name VALUE`, `--name=VALUE` and flags; `convert_flags` allows the
/// options only `convert` has.
fn options(args: &[String], convert_flags: bool) -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if arg.starts_with("--") => (name, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = || -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next().cloned())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name {
            "--type" => set_once(&mut options.type_name, value()?, name)?,
            "--from" => set_once(&mut options.from, Format::parse(&value()?)?, name)?,
            "--to" if convert_flags => set_once(&mut options.to, Format::parse(&value()?)?, name)?,
            "--ignore-unknown-fields" if convert_flags && inline.is_none() => {
                options.ignore_unknown_fields = true;
            }
            "--compact" if convert_flags && inline.is_none() => options.compact = true,
            "--max-depth" => options.budget = options.budget.max_depth(number(name, &value()?)?),
            "--max-input-bytes" => {
                options.budget = options.budget.max_input_bytes(number(name, &value()?)?);
            }
            "--max-elements" => {
                options.budget = options.budget.max_elements(number(name, &value()?)?);
            }
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(options)
}

fn number<T: std::str::FromStr>(name: &str, text: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    text.parse().map_err(|e| format!("{name} `{text}`: {e}"))
}

fn set_once<T>(slot: &mut Option<T>, value: T, name: &str) -> Result<(), String> {
    if slot.replace(value).is_some() {
        return Err(format!("{name} is given twice"));
    }
    Ok(())
}

/// Hex digits in either case; ASCII whitespace anywhere is skipped.
pub fn decode_hex(input: &[u8]) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = input
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    if !digits.len().is_multiple_of(2) {
        return Err(format!(
            "hex input has an odd number of digits ({})",
            digits.len()
        ));
    }
    digits
        .chunks_exact(2)
        .enumerate()
        .map(|(i, pair)| {
            let digit = |b: Option<&u8>| b.and_then(|&b| (b as char).to_digit(16));
            match (digit(pair.first()), digit(pair.get(1))) {
                (Some(high), Some(low)) => Ok((high * 16 + low) as u8),
                _ => Err(format!(
                    "hex input has a non-hex character in byte {i}: `{}`",
                    String::from_utf8_lossy(pair)
                )),
            }
        })
        .collect()
}

/// Base64 as ProtoJSON reads it; ASCII whitespace anywhere is skipped.
pub fn decode_base64(input: &[u8]) -> Result<Vec<u8>, String> {
    let text: String = String::from_utf8_lossy(input)
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    // Read as the JSON form of a BytesValue, so that the CLI accepts exactly
    // the base64 that ProtoJSON does.
    let quoted = serde_json::Value::String(text).to_string();
    cancelwire::json::from_str::<cancelwire::wkt::BytesValue>(&quoted)
        .map(|bytes| bytes.value.to_vec())
        .map_err(|e| format!("base64 input: {}", e.reason()))
}

pub fn encode_base64(bytes: &[u8]) -> String {
    cancelwire::json::encode_base64(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn convert_takes_both_option_spellings_and_flags() {
        let command = parse(&argv(
            "convert --type=google.rpc.Status --from json --to=hex --compact --ignore-unknown-fields",
        ))
        .unwrap();
        assert_eq!(
            command,
            Command::Convert {
                type_name: "google.rpc.Status".into(),
                from: Format::Json,
                to: Format::Hex,
                ignore_unknown_fields: true,
                compact: true,
                budget: DecodeBudget::new(),
            }
        );
    }

    #[test]
    fn budget_flags_set_the_decode_budget() {
        let command = parse(&argv(
            "validate --type T --from binary --max-depth 5 --max-input-bytes=100 --max-elements 7",
        ))
        .unwrap();
        assert_eq!(
            command,
            Command::Validate {
                type_name: "T".into(),
                from: Format::Binary,
                budget: DecodeBudget::new()
                    .max_depth(5)
                    .max_input_bytes(100)
                    .max_elements(7),
            }
        );
        assert!(parse(&argv("validate --type T --from binary --max-depth -1")).is_err());
        assert!(parse(&argv("validate --type T --from binary --max-elements x")).is_err());
    }

    #[test]
    fn missing_repeated_or_unknown_options_are_usage_errors() {
        assert!(parse(&argv("convert --type T --from json")).is_err());
        assert!(parse(&argv("convert --type T --type U --from json --to hex")).is_err());
        assert!(parse(&argv("validate --type T --from json --to hex")).is_err());
        assert!(parse(&argv("convert --type T --from yaml --to hex")).is_err());
        assert!(parse(&argv("types extra")).is_err());
        assert!(parse(&argv("frobnicate")).is_err());
        assert!(parse(&[]).is_err());
    }

    #[test]
    fn hex_skips_whitespace_and_rejects_odd_or_bad_digits() {
        assert_eq!(decode_hex(b"08 0A\n").unwrap(), [0x08, 0x0a]);
        assert!(decode_hex(b"080").is_err());
        assert!(decode_hex(b"0g").is_err());
        assert!(decode_hex("é1".as_bytes()).is_err());
    }

    #[test]
    fn base64_skips_whitespace_and_says_why_it_rejects() {
        assert_eq!(decode_base64(b"CA E=\n").unwrap(), [0x08, 0x01]);
        assert_eq!(decode_base64(b"_w").unwrap(), [0xff]);
        assert_eq!(
            decode_base64(b"CA\"E").unwrap_err(),
            "base64 input: invalid base64: invalid base64 character '\"' at position 2"
        );
        assert!(decode_base64(b"CAE=CAE=").is_err());
    }
}
