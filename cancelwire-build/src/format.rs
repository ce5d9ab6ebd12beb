//! Generated code is written as plain Rust text, then parsed and printed
//! again by prettyplease, so that every file a user opens is formatted the
//! same way (and a generator bug that writes invalid Rust fails here, in the
//! generator, instead of in the user's build).

/// `code` parsed and printed back formatted; its leading `//` lines (the
/// `@generated` header, which is no part of the syntax tree) stay on top.
pub(crate) fn rust_file(code: &str) -> Result<String, String> {
    let file = syn::parse_file(code)
        .map_err(|e| format!("the generator wrote invalid Rust (a bug, please report it): {e}"))?;
    let header: String = code
        .lines()
        .take_while(|line| line.starts_with("//"))
        .map(|line| format!("{line}\n"))
        .collect();
    Ok(format!("{header}\n{}", prettyplease::unparse(&file)))
}
