/// The arrows between stickies, and the preview while one is drawn.
mod arrows;
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
/// The selected element's properties.
mod properties;
/// One element, and its inline text editor.
mod sticky;
/// Zoom, undo/redo and save state.
mod toolbar;

pub use arrows::{Arrows, LinkPreview};
pub use blocks::Blocks;
pub use canvas::Canvas;
pub use export::ExportPanel;
pub use minimap::Minimap;
pub use palette::Palette;
pub use properties::Properties;
pub use sticky::Sticky;
pub use toolbar::Toolbar;
