//! `server export`: writes what a board generates into a directory, from the database or from a
//! board document (docs/codegen.md).
//!
//! ```text
//! server export --target rust-axum (--board <id> | --file <board.json>) --out <dir>
//!     [--templates <dir>] [--identifiers ascii|native]
//! server export --target json --board <id> --out <dir>
//! ```

use std::path::PathBuf;

use anyhow::{Context, bail};
use app::model::{Board, BoardDocument};

use crate::codegen;

pub async fn export(args: &[String]) -> anyhow::Result<()> {
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let target = value("--target").unwrap_or_else(|| "rust-axum".into());
    let out = PathBuf::from(value("--out").context("--out <dir> is required")?);
    let templates = value("--templates").map(PathBuf::from);
    let identifiers: codegen::names::Identifiers = value("--identifiers")
        .map_or(Ok(Default::default()), |v| v.parse())
        .map_err(anyhow::Error::msg)?;
    let board: Board = match (value("--board"), value("--file")) {
        (Some(id), None) => {
            let url = std::env::var("DATABASE_URL")
                .ok()
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| crate::config::DEFAULT_DATABASE_URL.into());
            let store = crate::store::connect(&url).await?;
            let id = id.parse().context("--board takes a board id")?;
            store
                .load_board(id)
                .await?
                .with_context(|| format!("no board {id} in the database"))?
                .board
        }
        (None, Some(file)) => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {file}"))?;
            let document: BoardDocument = serde_json::from_str(&text)
                .with_context(|| format!("{file} is not a valid board document"))?;
            document.into_board()?
        }
        _ => bail!("give exactly one of --board <id> or --file <board.json>"),
    };
    let files = match target.as_str() {
        "rust-axum" => {
            let model = codegen::model::ServiceModel::from_board_with(&board, identifiers);
            for problem in &model.problems {
                eprintln!("warning: {}", problem.message);
            }
            codegen::rust::generate(board.title(), &model, templates.as_deref())?
        }
        "json" => [(
            "board.squall.json".to_string(),
            serde_json::to_string_pretty(&BoardDocument::new(board))?,
        )]
        .into(),
        other => bail!("unknown target {other:?}; available: rust-axum, json"),
    };
    for (path, content) in &files {
        let path = out.join(path);
        std::fs::create_dir_all(path.parent().expect("files live in a directory"))?;
        std::fs::write(&path, content).with_context(|| format!("writing {}", path.display()))?;
    }
    println!("wrote {} files to {}", files.len(), out.display());
    Ok(())
}
