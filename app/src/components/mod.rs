/// The arrows between stickies, and the preview while one is drawn.
mod arrows;
/// The assessment view: context map, metrics, suggested cut, plan.
mod assess;
/// The whole board as coloured blocks on one <canvas>, for zoomed-out views.
mod blocks;
/// The drawing surface: pan, zoom, select, drag, connect, keyboard shortcuts.
mod canvas;
/// The Export panel: targets, problems, generated files, download.
mod export;
/// The whole board in miniature.
mod minimap;
/// The element kinds to add.
mod palette;
/// The live model check's list: filters, find, quick fixes.
mod problems;
/// The selected element's properties.
mod properties;
/// Ctrl+F: find stickies by text.
mod search;
/// One element, and its inline text editor.
mod sticky;
/// Zoom, undo/redo and save state.
mod toolbar;

/// A phone-sized window (under 700 CSS pixels wide): palette and minimap start folded.
pub fn small_screen() -> bool {
    #[cfg(feature = "hydrate")]
    {
        return web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w < 700.0);
    }
    #[allow(unreachable_code)]
    false
}

pub use arrows::{Arrows, LinkPreview};
pub use assess::AssessPanel;
pub use blocks::Blocks;
pub use canvas::Canvas;
pub use export::ExportPanel;
pub use minimap::Minimap;
pub use palette::Palette;
pub use problems::{ProblemsButton, ProblemsPanel};
pub use properties::Properties;
pub use search::Search;
pub use sticky::{Sticky, composing};
pub use toolbar::Toolbar;
