//! `server export`: writes what a board generates into a directory, from the database or from a
//! board document (docs/codegen.md).
//!
//! ```text
//! server export [--target rust-axum] (--board <id> | --file <board.json>) --out <dir>
//!     [--templates <dir>] [--identifiers ascii|native]
//! server export --target json --board <id> --out <dir>
//! server export --help
//! ```

use std::path::PathBuf;

use anyhow::Context;
use app::model::{Board, BoardDocument, Id};

use squall_codegen as codegen;

/// Squall's server: with no command it serves the app (configured by DATABASE_URL and the
/// LEPTOS_* variables, see README.md).
#[derive(Debug, clap::Parser)]
#[command(name = "server", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Writes what a board generates into a directory (docs/codegen.md).
    Export(ExportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// What to generate: a target of the registry (`rust-axum`: a Cargo workspace with one axum
    /// service per bounded context; `json`: the board as a versioned board document).
    #[arg(long, default_value = "rust-axum",
          value_parser = clap::builder::PossibleValuesParser::new(codegen::target_ids()))]
    target: String,
    /// A board in the database that DATABASE_URL names (default sqlite://data/squall.db).
    #[arg(long, required_unless_present = "file", conflicts_with = "file")]
    board: Option<Id>,
    /// A board document (docs/board-format.md).
    #[arg(long)]
    file: Option<PathBuf>,
    /// The directory to write into (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// A directory of templates that replace the embedded ones of the same name.
    #[arg(long)]
    templates: Option<PathBuf>,
    /// The script of code identifiers: `ascii`, or `native` to keep the board's own words
    /// where the language allows them (infrastructure names are ASCII either way).
    #[arg(long, default_value = "ascii")]
    identifiers: codegen::names::Identifiers,
}

pub async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let ExportArgs {
        target,
        board,
        file,
        out,
        templates,
        identifiers,
    } = args;
    let board: Board = match (board, file) {
        (Some(id), _) => {
            let url = std::env::var("DATABASE_URL")
                .ok()
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| crate::config::DEFAULT_DATABASE_URL.into());
            let store = crate::store::connect(&url).await?;
            store
                .load_board(id)
                .await?
                .with_context(|| format!("no board {id} in the database"))?
                .board
        }
        (None, Some(file)) => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let document: BoardDocument = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a valid board document", file.display()))?;
            document.into_board()?
        }
        (None, None) => unreachable!("clap requires --board or --file"),
    };
    let options = codegen::Options {
        identifiers,
        templates,
    };
    let export = codegen::export(&board, Some(&target), &options)?;
    for p in &export.problems {
        eprintln!(
            "{} {}: {}",
            p.severity.as_str(),
            p.rule.id(),
            p.message(&board)
        );
    }
    for (path, content) in &export.files {
        let path = out.join(path);
        std::fs::create_dir_all(path.parent().expect("files live in a directory"))?;
        std::fs::write(&path, content).with_context(|| format!("writing {}", path.display()))?;
    }
    println!("wrote {} files to {}", export.files.len(), out.display());
    Ok(())
}
