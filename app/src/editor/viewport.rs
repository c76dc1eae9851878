use serde::{Deserialize, Serialize};

/// Which part of the infinite board the screen shows: a screen point `s` shows the board point
/// `(s - offset) / zoom`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Viewport {
    pub x: f64,
    pub y: f64,
    pub zoom: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Self {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        }
    }
}

/// The board's grid, in board pixels: the dots on the canvas, and where a dragged sticky's corner
/// lands when snapping is on.
pub const GRID: f64 = 24.0;

/// The drag `delta` corrected so that the element that started at `lead` ends on a grid point;
/// the rest of the selection moves by the same amount and keeps its arrangement.
pub fn snapped_delta(lead: (f64, f64), delta: (f64, f64)) -> (f64, f64) {
    let snap = |v: f64| (v / GRID).round() * GRID;
    (
        snap(lead.0 + delta.0) - lead.0,
        snap(lead.1 + delta.1) - lead.1,
    )
}

/// The dot grid under the board for this view: tile size and offset in screen pixels. Zoomed
/// out, every fourth dot is drawn (then every sixteenth …) so the dots never crowd together.
pub fn grid_tiles(v: &Viewport) -> (f64, (f64, f64)) {
    let mut size = GRID * v.zoom;
    while size < 12.0 {
        size *= 4.0;
    }
    // A dot sits in the middle of its tile; board point (0, 0) is a dot.
    let offset = |o: f64| (o - size / 2.0).rem_euclid(size) - size;
    (size, (offset(v.x), offset(v.y)))
}

/// An axis-aligned rectangle in board coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    /// The rectangle spanned by two corners in any order.
    pub fn spanning((x0, y0): (f64, f64), (x1, y1): (f64, f64)) -> Self {
        Self {
            x: x0.min(x1),
            y: y0.min(y1),
            width: (x1 - x0).abs(),
            height: (y1 - y0).abs(),
        }
    }

    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.x + o.width
            && o.x < self.x + self.width
            && self.y < o.y + o.height
            && o.y < self.y + self.height
    }

    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x
            && o.y >= self.y
            && o.x + o.width <= self.x + self.width
            && o.y + o.height <= self.y + self.height
    }

    pub fn contains_point(&self, (px, py): (f64, f64)) -> bool {
        px >= self.x && py >= self.y && px <= self.x + self.width && py <= self.y + self.height
    }

    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.width / 2.0, self.y + self.height / 2.0)
    }

    /// The smallest rectangle holding all of `rects`, or `None` when there are none.
    pub fn union(rects: impl IntoIterator<Item = Rect>) -> Option<Rect> {
        rects.into_iter().reduce(|a, b| {
            let x = a.x.min(b.x);
            let y = a.y.min(b.y);
            let right = (a.x + a.width).max(b.x + b.width);
            let bottom = (a.y + a.height).max(b.y + b.height);
            Rect {
                x,
                y,
                width: right - x,
                height: bottom - y,
            }
        })
    }

    /// Where the segment from the centre towards `(tx, ty)` leaves this rectangle: arrows start and
    /// end on a sticky's edge, not under it.
    pub fn edge_towards(&self, (tx, ty): (f64, f64)) -> (f64, f64) {
        let (cx, cy) = self.centre();
        let (dx, dy) = (tx - cx, ty - cy);
        if dx == 0.0 && dy == 0.0 {
            return (cx, cy);
        }
        let sx = if dx != 0.0 {
            (self.width / 2.0) / dx.abs()
        } else {
            f64::INFINITY
        };
        let sy = if dy != 0.0 {
            (self.height / 2.0) / dy.abs()
        } else {
            f64::INFINITY
        };
        let s = sx.min(sy).min(1.0);
        (cx + dx * s, cy + dy * s)
    }
}

impl Viewport {
    pub const MIN_ZOOM: f64 = 0.02;
    pub const MAX_ZOOM: f64 = 4.0;
    /// Below this zoom stickies are drawn as coloured blocks without text.
    pub const DETAIL_ZOOM: f64 = 0.25;

    pub fn to_world(&self, (sx, sy): (f64, f64)) -> (f64, f64) {
        ((sx - self.x) / self.zoom, (sy - self.y) / self.zoom)
    }

    pub fn to_screen(&self, (wx, wy): (f64, f64)) -> (f64, f64) {
        (wx * self.zoom + self.x, wy * self.zoom + self.y)
    }

    /// The board area a screen of this size shows.
    pub fn visible(&self, width: f64, height: f64) -> Rect {
        let (x, y) = self.to_world((0.0, 0.0));
        Rect {
            x,
            y,
            width: width / self.zoom,
            height: height / self.zoom,
        }
    }

    /// Zooms by `factor` keeping the board point under the screen point `at` where it is.
    pub fn zoom_at(self, at: (f64, f64), factor: f64) -> Self {
        let zoom = (self.zoom * factor).clamp(Self::MIN_ZOOM, Self::MAX_ZOOM);
        let (wx, wy) = self.to_world(at);
        Self {
            x: at.0 - wx * zoom,
            y: at.1 - wy * zoom,
            zoom,
        }
    }

    /// A keyboard or button zoom step: like `zoom_at`, but a step that would pass 100% stops
    /// there, so "+" and "-" always reach actual size.
    pub fn zoom_step(self, at: (f64, f64), factor: f64) -> Self {
        let target = self.zoom * factor;
        let crosses = (self.zoom < 1.0 && target > 1.0) || (self.zoom > 1.0 && target < 1.0);
        let factor = if crosses { 1.0 / self.zoom } else { factor };
        self.zoom_at(at, factor)
    }

    pub fn pan(self, dx: f64, dy: f64) -> Self {
        Self {
            x: self.x + dx,
            y: self.y + dy,
            ..self
        }
    }

    /// The view that shows all of `content` centred on a screen of this size, with a margin, and
    /// never magnified beyond 100%.
    pub fn fit(content: Rect, width: f64, height: f64) -> Self {
        const MARGIN: f64 = 40.0;
        let zoom = ((width - 2.0 * MARGIN) / content.width.max(1.0))
            .min((height - 2.0 * MARGIN) / content.height.max(1.0))
            .clamp(Self::MIN_ZOOM, 1.0);
        let (cx, cy) = content.centre();
        Self {
            x: width / 2.0 - cx * zoom,
            y: height / 2.0 - cy * zoom,
            zoom,
        }
    }

    pub fn detailed(&self) -> bool {
        self.zoom >= Self::DETAIL_ZOOM
    }
}

/// Which edges of a rectangle a resize moves.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Edges {
    pub left: bool,
    pub top: bool,
    pub right: bool,
    pub bottom: bool,
}

impl Edges {
    /// `"nw"`, `"e"`, `"se"`…: compass points.
    pub fn parse(s: &str) -> Self {
        Self {
            left: s.contains('w'),
            top: s.contains('n'),
            right: s.contains('e'),
            bottom: s.contains('s'),
        }
    }

    /// `origin` with the chosen edges moved by `delta`, never smaller than a sticky can be; the
    /// opposite edges stay where they were.
    pub fn resize(self, origin: Rect, (dx, dy): (f64, f64)) -> Rect {
        const MIN: (f64, f64) = (40.0, 30.0);
        let (mut x0, mut y0) = (origin.x, origin.y);
        let (mut x1, mut y1) = (origin.x + origin.width, origin.y + origin.height);
        if self.left {
            x0 = (x0 + dx).min(x1 - MIN.0);
        }
        if self.right {
            x1 = (x1 + dx).max(x0 + MIN.0);
        }
        if self.top {
            y0 = (y0 + dy).min(y1 - MIN.1);
        }
        if self.bottom {
            y1 = (y1 + dy).max(y0 + MIN.1);
        }
        let (x0, y0, x1, y1) = (x0.round(), y0.round(), x1.round(), y1.round());
        Rect {
            x: x0,
            y: y0,
            width: x1 - x0,
            height: y1 - y0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapped_drag_puts_the_lead_on_the_grid_and_keeps_the_rest_in_step() {
        let lead = (10.0, 30.0);
        let (dx, dy) = snapped_delta(lead, (37.0, -5.0));
        assert_eq!((lead.0 + dx, lead.1 + dy), (48.0, 24.0));
        // Already on the grid and a small nudge: it stays.
        assert_eq!(snapped_delta((48.0, 24.0), (4.0, -3.0)), (0.0, 0.0));
        assert_eq!(snapped_delta((-30.0, 0.0), (0.0, 0.0)), (6.0, 0.0));
    }

    #[test]
    fn grid_dots_follow_the_view_and_never_crowd() {
        let at = |x, y, zoom| Viewport { x, y, zoom };
        let (size, (ox, oy)) = grid_tiles(&at(100.0, -7.0, 1.0));
        assert_eq!(size, 24.0);
        // The dot of board point (0, 0), on screen at the view's origin, is a tile centre.
        assert_eq!(
            (
                (100.0 - (ox + size / 2.0)) % size,
                (-7.0 - (oy + size / 2.0)).rem_euclid(size)
            ),
            (0.0, 0.0)
        );
        assert!((-size..=0.0).contains(&ox) && (-size..=0.0).contains(&oy));
        for zoom in [0.02, 0.1, 0.3, 2.0, 4.0] {
            let (size, _) = grid_tiles(&at(0.0, 0.0, zoom));
            assert!((12.0..=96.0).contains(&size), "{zoom}: {size}");
        }
    }

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9
    }

    #[test]
    fn screen_and_world_coordinates_are_inverse() {
        let v = Viewport {
            x: 120.0,
            y: -40.0,
            zoom: 0.5,
        };
        assert!(close(
            v.to_screen(v.to_world((300.0, 200.0))),
            (300.0, 200.0)
        ));
    }

    #[test]
    fn zooming_keeps_the_point_under_the_pointer_still() {
        let v = Viewport {
            x: 10.0,
            y: 20.0,
            zoom: 1.0,
        };
        let at = (400.0, 300.0);
        let under = v.to_world(at);
        let z = v.zoom_at(at, 1.7);
        assert!(close(z.to_world(at), under));
        assert!((z.zoom - 1.7).abs() < 1e-12);
    }

    #[test]
    fn zoom_steps_stop_at_actual_size() {
        let v = Viewport {
            x: 0.0,
            y: 0.0,
            zoom: 0.9,
        };
        assert_eq!(v.zoom_step((100.0, 100.0), 1.25).zoom, 1.0);
        assert_eq!(
            v.zoom_step((100.0, 100.0), 1.25)
                .zoom_step((0.0, 0.0), 1.25)
                .zoom,
            1.25
        );
        let big = Viewport {
            x: 0.0,
            y: 0.0,
            zoom: 1.1,
        };
        assert_eq!(big.zoom_step((0.0, 0.0), 0.8).zoom, 1.0);
    }

    #[test]
    fn zoom_is_clamped() {
        let v = Viewport::default();
        assert_eq!(v.zoom_at((0.0, 0.0), 1000.0).zoom, Viewport::MAX_ZOOM);
        assert_eq!(v.zoom_at((0.0, 0.0), 1e-9).zoom, Viewport::MIN_ZOOM);
    }

    #[test]
    fn fit_shows_all_content_centred() {
        let content = Rect {
            x: -500.0,
            y: 100.0,
            width: 4000.0,
            height: 1000.0,
        };
        let v = Viewport::fit(content, 1440.0, 900.0);
        let shown = v.visible(1440.0, 900.0);
        assert!(shown.contains(&content));
        assert!(close(v.to_screen(content.centre()), (720.0, 450.0)));
        let small = Rect {
            x: 0.0,
            y: 0.0,
            width: 100.0,
            height: 100.0,
        };
        assert_eq!(
            Viewport::fit(small, 1440.0, 900.0).zoom,
            1.0,
            "never magnifies"
        );
    }

    #[test]
    fn rectangles_intersect_contain_and_clip_arrows_to_their_edge() {
        let a = Rect {
            x: 0.0,
            y: 0.0,
            width: 100.0,
            height: 50.0,
        };
        let b = Rect::spanning((150.0, 60.0), (50.0, 10.0));
        assert!(a.intersects(&b) && !a.contains(&b));
        assert!(Rect::union([a, b]).unwrap().contains(&b));
        assert!(!a.intersects(&Rect {
            x: 100.0,
            y: 0.0,
            width: 10.0,
            height: 10.0
        }));
        assert!(close(a.edge_towards((500.0, 25.0)), (100.0, 25.0)));
        assert!(close(a.edge_towards((50.0, -300.0)), (50.0, 0.0)));
        assert!(close(a.edge_towards((50.0, 25.0)), (50.0, 25.0)));
    }

    fn rect(x: f64, y: f64, width: f64, height: f64) -> Rect {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    #[test]
    fn a_left_edge_drag_moves_the_left_edge_and_keeps_the_right_one() {
        let frame = rect(100.0, 100.0, 400.0, 300.0);
        assert_eq!(
            Edges::parse("w").resize(frame, (-50.0, 30.0)),
            rect(50.0, 100.0, 450.0, 300.0)
        );
        assert_eq!(
            Edges::parse("nw").resize(frame, (20.0, 20.0)),
            rect(120.0, 120.0, 380.0, 280.0)
        );
        assert_eq!(
            Edges::parse("se").resize(frame, (10.0, -10.0)),
            rect(100.0, 100.0, 410.0, 290.0)
        );
        assert_eq!(
            Edges::parse("s").resize(frame, (99.0, 10.0)),
            rect(100.0, 100.0, 400.0, 310.0)
        );
    }

    #[test]
    fn an_edge_dragged_past_the_other_stops_at_the_smallest_size() {
        let frame = rect(0.0, 0.0, 200.0, 100.0);
        assert_eq!(
            Edges::parse("w").resize(frame, (500.0, 0.0)),
            rect(160.0, 0.0, 40.0, 100.0)
        );
        assert_eq!(
            Edges::parse("n").resize(frame, (0.0, 500.0)),
            rect(0.0, 70.0, 200.0, 30.0)
        );
    }
}
