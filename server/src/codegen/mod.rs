//! Code generation from a board (issue 7, in progress): names for any label (`names`) and the
//! service model derived from stickies and arrows (`model`). Templates and targets come next.

/// The service model: bounded contexts, aggregates, commands, events, policies, read models.
pub mod model;
/// Identifiers and infrastructure names from labels in any script.
pub mod names;
/// The rust-axum target: a workspace of service crates from the service model.
pub mod rust;

use std::collections::BTreeMap;
use std::io::Write;

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
