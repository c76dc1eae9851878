//! Code generation from a board (docs/codegen.md): names for any label (`names`), the service
//! model derived from stickies and arrows (`model`), the rust-axum target (`rust`), and
//! [`export`], the one place a target is rendered (HTTP download and preview, the Export panel,
//! the `server export` command).

/// The service model: bounded contexts, aggregates, commands, events, policies, read models.
pub mod model;
/// Identifiers and infrastructure names from labels in any script.
pub mod names;
/// The rust-axum target: a workspace of service crates from the service model.
pub mod rust;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use app::model::{Board, BoardDocument};
use app::semantic::rules::{self, Problem};

/// The export targets, as `?target=` and `--target` name them.
pub const TARGETS: [&str; 2] = ["rust-axum", "json"];

/// A board rendered for one export target.
pub struct Export {
    pub target: &'static str,
    /// The download's name, and the ZIP's top folder (`root`).
    pub file_name: String,
    pub root: String,
    pub files: BTreeMap<String, String>,
    /// The model's problems (the numbered rules of docs/model-rules.md).
    pub problems: Vec<Problem>,
    /// Each problem's message, in the same order.
    pub messages: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("unknown export target {0:?}; available: {targets}", targets = TARGETS.join(", "))]
    UnknownTarget(String),
    #[error(transparent)]
    Generate(#[from] rust::GenerateError),
}

/// The files an export target makes of a board (`json`: one board document; `rust-axum`: the
/// generated workspace with the problem list); `templates` replaces embedded templates.
pub fn export(
    board: &Board,
    target: Option<&str>,
    identifiers: names::Identifiers,
    templates: Option<&Path>,
) -> Result<Export, ExportError> {
    let stem = file_stem(board.title());
    match target {
        Some("json") => {
            let file_name = format!("{stem}.squall.json");
            let problems = rules::check(board);
            let body = serde_json::to_string_pretty(&BoardDocument::new(board.clone()))
                .expect("boards serialize");
            Ok(Export {
                target: "json",
                files: [(file_name.clone(), body)].into(),
                file_name,
                root: stem,
                messages: messages(board, &problems),
                problems,
            })
        }
        Some("rust-axum") => {
            let model = model::ServiceModel::from_board_with(board, identifiers);
            let files = rust::generate(board.title(), &model, templates)?;
            Ok(Export {
                target: "rust-axum",
                file_name: format!("{stem}-rust-axum.zip"),
                root: stem,
                files,
                problems: model.problems,
                messages: model.messages,
            })
        }
        other => Err(ExportError::UnknownTarget(other.unwrap_or("").into())),
    }
}

fn messages(board: &Board, problems: &[Problem]) -> Vec<String> {
    problems.iter().map(|p| p.message(board)).collect()
}

/// The generated files as a ZIP archive under `<root>/`. Deterministic: entries in path order,
/// fixed timestamps and permissions, so the same board gives the same bytes.
pub fn zip(root: &str, files: &BTreeMap<String, String>) -> Vec<u8> {
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (path, content) in files {
        archive
            .start_file(format!("{root}/{path}"), options)
            .and_then(|()| archive.write_all(content.as_bytes()).map_err(Into::into))
            .expect("writing to memory cannot fail");
    }
    archive
        .finish()
        .expect("writing to memory cannot fail")
        .into_inner()
}

/// A file name from a board title: ASCII letters, digits and dashes only.
fn file_stem(title: &str) -> String {
    let mut stem = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            stem.push(c.to_ascii_lowercase());
        } else if !stem.ends_with('-') && !stem.is_empty() {
            stem.push('-');
        }
    }
    let stem = stem
        .trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>();
    if stem.is_empty() {
        "board".into()
    } else {
        stem
    }
}
