//! What a board means, as one pure model the browser (live check, badges) and the server
//! (export, code generation) read alike: bounded contexts and what belongs to them, who handles
//! a command and what it results in, what triggers a policy, what feeds a read model. It is
//! language neutral: names for code belong to a code generation target. The rules that judge a
//! model are in [`rules`] (docs/model-rules.md).

/// Assessing a board for a migration: context map, metrics, suggested cut, plan.
pub mod assess;
/// What fills each field of a policy's command and of a read model (the field mapping).
pub mod fills;
/// Quick fixes: the batch that fixes a problem whose fix is clear.
pub mod fixes;
/// Whether a label reads as something that happened (an event) or as an order (a command).
pub mod phrasing;
/// The numbered rules (R1, R2, …) and the problems they find.
pub mod rules;
/// A board built by name, for the tests.
#[cfg(test)]
pub(crate) mod sketch;

use rustc_hash::FxHashMap as HashMap;

use crate::model::{Board, Element, ElementKind, Id};

/// A board read for its meaning. Built in one pass over the board; every question after that is
/// a lookup.
pub struct Semantic<'a> {
    pub board: &'a Board,
    /// The bounded context (frame) of every element whose centre lies in one: the smallest.
    context: HashMap<Id, Id>,
    /// Arrow ends by source, and by target.
    outgoing: HashMap<Id, Vec<&'a Element>>,
    incoming: HashMap<Id, Vec<&'a Element>>,
}

/// What a command results in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Results {
    /// Drawn: command → event arrows, in reading order (top to bottom). Several arrows are the
    /// command's possible outcomes (`Request Payment` → `Payment Approved` or `Payment
    /// Declined`): its handler decides which.
    Drawn(Vec<Id>),
    /// The one event its aggregate emits: no arrow is needed.
    Only(Id),
    /// Its aggregate emits several events and no arrow says which: nothing is generated.
    Ambiguous(Vec<Id>),
    /// Nothing: no arrow, and its aggregate emits no event (or it has no aggregate).
    Nothing,
}

impl Results {
    /// The events the command may result in: never a guess (none when the board does not say).
    pub fn events(&self) -> &[Id] {
        match self {
            Results::Drawn(events) => events,
            Results::Only(event) => std::slice::from_ref(event),
            Results::Ambiguous(_) | Results::Nothing => &[],
        }
    }
}

impl<'a> Semantic<'a> {
    pub fn of(board: &'a Board) -> Self {
        let frames: Vec<&Element> = board
            .elements()
            .filter(|e| e.kind == ElementKind::BoundedContext)
            .collect();
        let mut context = HashMap::default();
        for e in board
            .elements()
            .filter(|e| e.kind != ElementKind::BoundedContext)
        {
            if let Some(frame) = smallest_frame_around(&frames, centre(e)) {
                context.insert(e.id, frame.id);
            }
        }
        let mut outgoing: HashMap<Id, Vec<&Element>> = HashMap::default();
        let mut incoming: HashMap<Id, Vec<&Element>> = HashMap::default();
        for c in board.connections() {
            if let (Some(from), Some(to)) = (board.element(c.from), board.element(c.to)) {
                outgoing.entry(c.from).or_default().push(to);
                incoming.entry(c.to).or_default().push(from);
            }
        }
        Self {
            board,
            context,
            outgoing,
            incoming,
        }
    }

    /// The bounded context `id` belongs to: the smallest frame its centre lies in.
    pub fn context_of(&self, id: Id) -> Option<Id> {
        self.context.get(&id).copied()
    }

    /// The frames, left to right and top to bottom: the order a team reads the board.
    pub fn contexts(&self) -> Vec<&'a Element> {
        let mut frames: Vec<&Element> = self
            .board
            .elements()
            .filter(|e| e.kind == ElementKind::BoundedContext)
            .collect();
        frames.sort_by(|a, b| {
            (a.x, a.y, a.id)
                .partial_cmp(&(b.x, b.y, b.id))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        frames
    }

    /// The elements of `kind` in context `frame`, in reading order.
    pub fn members(&self, frame: Id, kind: ElementKind) -> Vec<&'a Element> {
        let mut members: Vec<&Element> = self
            .board
            .elements()
            .filter(|e| e.kind == kind && self.context_of(e.id) == Some(frame))
            .collect();
        members.sort_by(|a, b| {
            (a.x, a.y, a.id)
                .partial_cmp(&(b.x, b.y, b.id))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        members
    }

    /// What `id` has arrows to, of `kind`.
    pub fn targets(&self, id: Id, kind: ElementKind) -> Vec<&'a Element> {
        self.outgoing
            .get(&id)
            .map(|to| to.iter().copied().filter(|e| e.kind == kind).collect())
            .unwrap_or_default()
    }

    /// What has arrows to `id`, of `kind`.
    pub fn sources(&self, id: Id, kind: ElementKind) -> Vec<&'a Element> {
        self.incoming
            .get(&id)
            .map(|from| from.iter().copied().filter(|e| e.kind == kind).collect())
            .unwrap_or_default()
    }

    /// The aggregate that handles `command`: the one it has an arrow to in its own context.
    pub fn handler(&self, command: Id) -> Option<&'a Element> {
        let context = self.context_of(command);
        self.targets(command, ElementKind::Aggregate)
            .into_iter()
            .find(|a| context.is_some() && self.context_of(a.id) == context)
    }

    /// What `command` results in (docs/model-rules.md R4, R5).
    pub fn results(&self, command: Id) -> Results {
        let mut events = self.targets(command, ElementKind::DomainEvent);
        events.sort_by(|a, b| {
            (a.y, a.x, a.id)
                .partial_cmp(&(b.y, b.x, b.id))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let drawn: Vec<Id> = events.iter().map(|e| e.id).collect();
        if !drawn.is_empty() {
            return Results::Drawn(drawn);
        }
        let Some(aggregate) = self.handler(command) else {
            return Results::Nothing;
        };
        let emitted: Vec<Id> = self
            .targets(aggregate.id, ElementKind::DomainEvent)
            .iter()
            .map(|e| e.id)
            .collect();
        match emitted.as_slice() {
            [] => Results::Nothing,
            [only] => Results::Only(*only),
            _ => Results::Ambiguous(emitted),
        }
    }

    /// Whether anything emits `event`: its aggregate, a command, or an external system.
    pub fn is_emitted(&self, event: Id) -> bool {
        [
            ElementKind::Aggregate,
            ElementKind::Command,
            ElementKind::ExternalSystem,
        ]
        .into_iter()
        .any(|kind| !self.sources(event, kind).is_empty())
    }
}

/// The centre of an element.
pub fn centre(e: &Element) -> (f64, f64) {
    (e.x + e.width / 2.0, e.y + e.height / 2.0)
}

/// The smallest of `frames` whose rectangle holds point `p`: the one bounded-context membership
/// rule, used by code generation, the checks and a frame's drag alike.
pub fn smallest_frame_around<'e>(
    frames: &[&'e Element],
    (px, py): (f64, f64),
) -> Option<&'e Element> {
    frames
        .iter()
        .copied()
        .filter(|f| px >= f.x && px <= f.x + f.width && py >= f.y && py <= f.y + f.height)
        .min_by(|a, b| (a.width * a.height).total_cmp(&(b.width * b.height)))
}

/// The `{name}` parameters of a route.
pub fn path_parameters(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.trim()))
        .filter(|name| !name.is_empty())
        .collect()
}
