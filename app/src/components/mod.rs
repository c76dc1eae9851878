/// The board's drawing surface: frames, arrows and stickies under one transform.
mod canvas;
/// One element drawn at its place in its colour.
mod sticky;

pub use canvas::Canvas;
pub use sticky::Sticky;
