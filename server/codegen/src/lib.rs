//! Code generation from a board (docs/codegen.md), a crate of its own: it reads the board's
//! semantic model (`squall-model`) and knows nothing of HTTP, databases or Leptos. [`TARGETS`]
//! is the one registry of export targets; [`export`] is the one place a target is rendered (HTTP
//! download and preview, the Export panel, `server export`, the benchmark). Names for any label
//! (`names`), the service model (`model`), the templates every target shares (`shared`) and the
//! rust-axum target (`rust`).

/// The assessment's exports: the context map (Mermaid, Context Mapper CML), the design document.
pub mod design;
/// The spring-boot target: a Maven project of Spring Boot services from the same model.
pub mod java;
/// The service model: bounded contexts, aggregates, commands, events, policies, read models.
pub mod model;
/// Identifiers and infrastructure names from labels in any script.
pub mod names;
/// The rust-axum target: a workspace of service crates from the service model.
pub mod rust;
/// The deployment and contract templates every service target shares, and template rendering.
pub mod shared;

use std::collections::BTreeMap;
use std::io::Write;

use squall_model::model::{Board, BoardDocument};
use squall_model::semantic::rules::{self, Problem};

/// One thing a board can be exported as: a target renders a board into files. Every target is
/// listed once, in [`TARGETS`]; the HTTP API, the command line, the Export panel and the
/// benchmark all read that list.
pub trait Target: Sync {
    /// How `?target=` and `--target` name it: `rust-axum`.
    fn id(&self) -> &'static str;
    /// What the Export panel shows: "Rust services (axum, sqlx, Kafka)".
    fn title(&self) -> &'static str;
    /// The download's name for a board whose title gives `stem`.
    fn file_name(&self, stem: &str) -> String {
        format!("{stem}-{}.zip", self.id())
    }
    /// One file, served as it is (`application/json`), rather than a ZIP of many.
    fn single_file(&self) -> bool {
        false
    }
    /// The download's media type: a ZIP, or a single file's own.
    fn content_type(&self) -> &'static str {
        if self.single_file() {
            "application/json"
        } else {
            "application/zip"
        }
    }
    /// The files of the export (paths relative, `/`-separated) and the model's problems.
    fn render(&self, board: &Board, options: &Options) -> Result<Rendered, GenerateError>;
}

/// What a user may choose for any target.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The script of code identifiers.
    pub identifiers: names::Identifiers,
    /// A directory of template files replacing the embedded ones of the same name.
    pub templates: Option<std::path::PathBuf>,
}

/// A target's output.
pub struct Rendered {
    pub files: BTreeMap<String, String>,
    /// The model's problems (the numbered rules of docs/model-rules.md).
    pub problems: Vec<Problem>,
    /// Each problem's message, in the same order.
    pub messages: Vec<String>,
}

/// Every export target, in the order the Export panel offers them (the first is the default).
pub static TARGETS: &[&dyn Target] = &[
    &rust::RustAxum,
    &java::SpringBoot,
    &BoardFile,
    &design::ContextMapMermaid,
    &design::ContextMapCml,
    &design::DesignDoc,
];

/// The target `id` names.
pub fn target(id: &str) -> Option<&'static dyn Target> {
    TARGETS.iter().copied().find(|t| t.id() == id)
}

/// The targets' ids, as `?target=` and `--target` accept them.
pub fn target_ids() -> Vec<&'static str> {
    TARGETS.iter().map(|t| t.id()).collect()
}

/// A board rendered for one export target.
pub struct Export {
    pub target: &'static dyn Target,
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
    #[error("unknown export target {0:?}; available: {targets}", targets = target_ids().join(", "))]
    UnknownTarget(String),
    #[error(transparent)]
    Generate(#[from] GenerateError),
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("template {name}: {error}")]
    Template { name: String, error: String },
    #[error("reading template overrides: {0}")]
    Overrides(#[from] std::io::Error),
}

/// The files target `target` (by id; `None` is refused like an unknown id) makes of a board.
pub fn export(
    board: &Board,
    target: Option<&str>,
    options: &Options,
) -> Result<Export, ExportError> {
    let target = target
        .and_then(self::target)
        .ok_or_else(|| ExportError::UnknownTarget(target.unwrap_or("").into()))?;
    let stem = file_stem(board.title());
    let rendered = target.render(board, options)?;
    Ok(Export {
        target,
        file_name: target.file_name(&stem),
        root: stem,
        files: rendered.files,
        problems: rendered.problems,
        messages: rendered.messages,
    })
}

/// The `json` target: the board as a board document (docs/board-format.md), to import elsewhere.
pub struct BoardFile;

impl Target for BoardFile {
    fn id(&self) -> &'static str {
        "json"
    }
    fn title(&self) -> &'static str {
        "Board file (JSON)"
    }
    fn file_name(&self, stem: &str) -> String {
        format!("{stem}.squall.json")
    }
    fn single_file(&self) -> bool {
        true
    }
    fn render(&self, board: &Board, _: &Options) -> Result<Rendered, GenerateError> {
        let problems = rules::check(board);
        let body = serde_json::to_string_pretty(&BoardDocument::new(board.clone()))
            .expect("boards serialize");
        let stem = file_stem(board.title());
        Ok(Rendered {
            files: [(self.file_name(&stem), body)].into(),
            messages: messages(board, &problems),
            problems,
        })
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
        // Deflate level 3: ~35% less time than the default (6) for a ZIP 4% larger
        // (BENCHMARKS.md, code export).
        .compression_level(Some(3))
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
