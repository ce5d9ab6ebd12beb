//! The Rust blocks of the README's REST section are doc tests: each one is,
//! line for line, an example in the docs of `longrunning::rest` (whose
//! hidden `# ` lines the README leaves out), so `cargo test --doc` compiles
//! them and runs the client one.

use std::fs;
use std::path::Path;

const SECTION: &str = "## Google-style REST for operations";

fn read(path: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect(path)
}

/// The bodies of the fenced blocks of `lines` whose opening fence satisfies
/// `open`, without the lines `skip` rejects.
fn blocks<'a>(
    lines: impl Iterator<Item = &'a str>,
    open: impl Fn(&str) -> bool,
    skip: impl Fn(&str) -> bool,
) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in lines {
        if line.starts_with("```") {
            match current.take() {
                Some(block) => out.push(block),
                None if open(line) => current = Some(Vec::new()),
                None => current = Some(vec!["<not rust>".into()]),
            }
        } else if let Some(block) = current.as_mut()
            && !skip(line)
        {
            block.push(line.to_owned());
        }
    }
    out.retain(|b| b.first().map(String::as_str) != Some("<not rust>"));
    out
}

fn readme_blocks() -> Vec<Vec<String>> {
    let readme = read("README.md");
    let start = readme
        .find(SECTION)
        .expect("the README has the REST section");
    let rest = readme.get(start + SECTION.len()..).unwrap();
    let end = rest.find("\n## ").unwrap_or(rest.len());
    blocks(
        rest.get(..end).unwrap().lines(),
        |f| f.starts_with("```rust"),
        |_| false,
    )
}

fn doc_blocks() -> Vec<Vec<String>> {
    let mut all = Vec::new();
    for file in [
        "src/longrunning/rest/mod.rs",
        "src/longrunning/rest/adapter.rs",
    ] {
        let text = read(file);
        let doc_lines = text.lines().filter_map(|line| {
            let line = line.trim_start();
            let body = line
                .strip_prefix("//!")
                .or_else(|| line.strip_prefix("///"))?;
            Some(body.strip_prefix(' ').unwrap_or(body))
        });
        all.extend(blocks(
            doc_lines,
            |_| true,
            |l| l == "#" || l.starts_with("# "),
        ));
    }
    all
}

#[test]
fn the_readme_rest_section_shows_a_server_and_a_client() {
    let blocks = readme_blocks();
    assert_eq!(blocks.len(), 2, "{blocks:#?}");
    assert!(blocks[0].iter().any(|l| l.contains("RestService::new(")));
    assert!(blocks[1].iter().any(|l| l.contains(".call(\"http://")));
}

#[test]
fn every_rust_block_of_the_readme_rest_section_is_a_doc_test() {
    let docs = doc_blocks();
    for block in readme_blocks() {
        assert!(
            docs.contains(&block),
            "this README block is not a doc example of longrunning::rest:\n{}",
            block.join("\n")
        );
    }
}
