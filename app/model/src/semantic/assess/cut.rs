//! The suggested cut (docs/assessment.md A5–A8): the board's aggregates, each with what belongs
//! to it (a *unit*), clustered by the bonds the board draws between them. The same board always
//! gives the same cut: units are taken in reading order, the clustering merges the best pair
//! first and breaks ties by that order, and nothing is random.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use super::{Link, Style, cycles, in_reading_order, links};
use crate::model::{Board, Element, ElementKind, Id, Op};
use crate::semantic::Semantic;

/// A5: what binds two units, per arrow (or shared actor) between them. An aggregate's own
/// commands, events, policies and read models bind it to itself, `OWN` each.
pub const OWN: f64 = 1.0;
/// A command or policy of one unit calls a command of another: a synchronous call binds strongly.
pub const CALL: f64 = 4.0;
/// A read model of one unit needs another unit's event: it needs that unit's data.
pub const READS: f64 = 2.0;
/// An aggregate refers to another (an arrow between them: an imported foreign key).
pub const REFERENCE: f64 = 2.0;
/// A policy of one unit reacts to another unit's event: publish / subscribe binds weakly.
pub const REACTS: f64 = 1.0;
/// One actor issues commands of both units: a hint of one owner.
pub const ACTOR: f64 = 0.5;

/// An aggregate and what moves with it (A4), or a command no aggregate handles.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Unit {
    /// The aggregate, or the command no aggregate handles.
    pub id: Id,
    /// What moves with it, itself first.
    pub members: Vec<Id>,
    /// The frame it is in now.
    pub frame: Option<Id>,
}

/// One bounded context of the cut.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Group {
    /// The kept frame's label, or the largest unit's for a new frame.
    pub name: String,
    /// The existing frame it keeps (A7), none for a new one.
    pub frame: Option<Id>,
    /// Its units, by index into [`Cut::units`], in reading order.
    pub units: Vec<usize>,
}

/// How tangled a split is (A8): lower is better, except `contexts`, which only describes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Score {
    /// Contexts holding at least one unit.
    pub contexts: usize,
    /// Arrows from a command or policy to another context's command.
    pub sync_calls: usize,
    /// Read models fed by events of more than one context.
    pub shared_read_models: usize,
    /// Groups of contexts that depend on each other in a circle.
    pub cycles: usize,
    /// Arrows from an event to another context's policy or read model (the healthy kind of
    /// coupling, shown for comparison).
    pub event_links: usize,
}

/// The suggested cut, beside the current frames.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Cut {
    pub units: Vec<Unit>,
    pub groups: Vec<Group>,
    /// The current frames' score.
    pub current: Score,
    /// The cut's score.
    pub suggested: Score,
    /// The units the cut moves (all or some of their members) to another frame: (unit, group),
    /// both by index.
    pub moves: Vec<(usize, usize)>,
    /// The unit each attached element belongs to (A4).
    #[serde(skip)]
    pub(crate) owner: HashMap<Id, usize>,
}

/// What a move carries, for a sentence: the first stickies, how many more, and the frames they
/// leave (`None`: no frame).
#[derive(Debug, Clone, PartialEq)]
pub struct Carried {
    pub shown: Vec<Id>,
    pub more: usize,
    pub from: Vec<Option<Id>>,
}

impl Cut {
    pub fn of(model: &Semantic) -> Self {
        let (units, owner) = units(model);
        let (own, bonds) = bonds(model, &units, &owner);
        let clusters = cluster(&own, &bonds);
        let frames = model.contexts();
        // How much binds each unit, itself included: a new frame is named after its heaviest.
        let mut weight = own.clone();
        for (&(a, b), w) in &bonds {
            weight[a] += w;
            weight[b] += w;
        }
        let groups = groups(model, &units, &clusters, &frames, &weight);
        let frame_index: BTreeMap<Id, usize> =
            frames.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
        let now = |id: Id| {
            model
                .context_of(id)
                .and_then(|f| frame_index.get(&f).copied())
        };
        let occupied = units
            .iter()
            .filter_map(|u| u.frame)
            .collect::<std::collections::BTreeSet<_>>();
        let current = score(model, frames.len(), &now, occupied.len());
        let places = groups.len() + frames.len();
        let suggested = {
            let place = suggested_place(model, &units, &owner, &groups, &frame_index);
            score(model, places, &place, groups.len())
        };
        let mut cut = Self {
            units,
            groups,
            current,
            suggested,
            moves: Vec::new(),
            owner,
        };
        // A unit moves when it carries anything: a member not in its group's frame (a command
        // dragged into the wrong frame comes back with the cut).
        let mut moves: Vec<(usize, usize)> = (0..cut.groups.len())
            .flat_map(|g| cut.groups[g].units.iter().map(move |u| (*u, g)))
            .filter(|mv| !cut.carried(model, *mv).is_empty())
            .collect();
        moves.sort_unstable();
        cut.moves = moves;
        cut
    }

    /// Where an element is under the cut (see [`suggested_place`]).
    pub(crate) fn place<'a>(
        &'a self,
        model: &'a Semantic,
        frame_index: &'a BTreeMap<Id, usize>,
    ) -> impl Fn(Id) -> Option<usize> + 'a {
        suggested_place(model, &self.units, &self.owner, &self.groups, frame_index)
    }

    /// A move in words: its first four stickies, how many more, and the frames they leave.
    pub fn carried_summary(&self, model: &Semantic, mv: (usize, usize)) -> Carried {
        const SHOWN: usize = 4;
        let carried = self.carried(model, mv);
        let mut from = Vec::new();
        for (_, frame) in &carried {
            if !from.contains(frame) {
                from.push(*frame);
            }
        }
        Carried {
            shown: carried.iter().take(SHOWN).map(|(id, _)| *id).collect(),
            more: carried.len().saturating_sub(SHOWN),
            from,
        }
    }

    /// What the move `(unit, group)` carries: the unit's members not yet in the group's frame
    /// (all of them for a new frame), each with the frame it is in now.
    pub fn carried(&self, model: &Semantic, (u, g): (usize, usize)) -> Vec<(Id, Option<Id>)> {
        let frame = self.groups[g].frame;
        self.units[u]
            .members
            .iter()
            .map(|m| (*m, model.context_of(*m)))
            .filter(|(_, now)| frame.is_none() || *now != frame)
            .collect()
    }

    /// Whether the cut changes nothing: every unit stays in its frame.
    pub fn is_current(&self) -> bool {
        self.moves.is_empty()
    }

    /// The batch that applies the cut (A7): new frames to the right of the board, each moved
    /// unit's members below the content of its target frame (which grows to hold them), keeping
    /// their layout. One batch, so one undo step.
    pub fn ops(&self, board: &Board, mut new_id: impl FnMut() -> Id) -> Vec<Op> {
        const GAP: f64 = 40.0;
        const HEADER: f64 = 80.0;
        let model = Semantic::of(board);
        let mut ops = Vec::new();
        let right = board
            .elements()
            .map(|e| e.x + e.width)
            .fold(f64::NEG_INFINITY, f64::max);
        let top = board.elements().map(|e| e.y).fold(f64::INFINITY, f64::min);
        let mut next_x = if right.is_finite() {
            right + 200.0
        } else {
            0.0
        };
        let top = if top.is_finite() { top } else { 0.0 };
        let mut moves = Vec::new();
        let mut resizes = Vec::new();
        for (g, group) in self.groups.iter().enumerate() {
            let moved: Vec<usize> = self
                .moves
                .iter()
                .filter(|(_, to)| *to == g)
                .map(|(u, _)| *u)
                .collect();
            if moved.is_empty() {
                continue;
            }
            let rects: Vec<(Vec<Id>, Rect)> = moved
                .iter()
                .map(|u| {
                    self.carried(&model, (*u, g))
                        .into_iter()
                        .map(|(id, _)| id)
                        .collect::<Vec<_>>()
                })
                .filter_map(|ids| {
                    let r = Rect::around(board, &ids)?;
                    Some((ids, r))
                })
                .collect();
            let (frame_id, fx, fy, fw, fh, mut cursor) = match group
                .frame
                .and_then(|f| board.element(f))
            {
                Some(f) => (f.id, f.x, f.y, f.width, f.height, f.y + f.height),
                None => {
                    let mut frame =
                        Element::new(ElementKind::BoundedContext, group.name.clone(), next_x, top);
                    frame.id = new_id();
                    let width = rects.iter().map(|(_, r)| r.w).fold(0.0, f64::max) + 2.0 * GAP;
                    (frame.width, frame.height) = (width.max(400.0), HEADER);
                    let out = (
                        frame.id,
                        frame.x,
                        frame.y,
                        frame.width,
                        frame.height,
                        top + HEADER - GAP,
                    );
                    next_x += frame.width + 200.0;
                    ops.push(Op::CreateElement { element: frame });
                    out
                }
            };
            let mut width = fw;
            for (ids, r) in &rects {
                let (dx, dy) = (fx + GAP - r.x, cursor + GAP - r.y);
                for id in ids {
                    if let Some(e) = board.element(*id) {
                        moves.push(Op::MoveElement {
                            id: e.id,
                            x: e.x + dx,
                            y: e.y + dy,
                        });
                    }
                }
                cursor += GAP + r.h;
                width = width.max(r.w + 2.0 * GAP);
            }
            let height = (cursor + GAP - fy).max(fh);
            resizes.push(Op::ResizeElement {
                id: frame_id,
                width,
                height,
            });
        }
        ops.extend(moves);
        ops.extend(resizes);
        ops
    }
}

/// A rectangle around elements.
#[derive(Debug, Clone, Copy)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn around(board: &Board, ids: &[Id]) -> Option<Rect> {
        let mut it = ids.iter().filter_map(|id| board.element(*id)).peekable();
        it.peek()?;
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for e in it {
            x0 = x0.min(e.x);
            y0 = y0.min(e.y);
            x1 = x1.max(e.x + e.width);
            y1 = y1.max(e.y + e.height);
        }
        Some(Rect {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
        })
    }
}

/// A4: the units and which unit each attached element belongs to. An aggregate is a unit; a
/// command goes with the aggregate it has an arrow to (else it is a unit of its own); an event
/// with its emitting aggregate, else the command that results in it; a policy with the command it
/// issues, else the event it reacts to; a read model with the unit most of its events come from
/// (the first on a tie), or, fed by no event yet, with the aggregate its label starts with; an actor or an external system with the one unit all its arrows reach.
pub(crate) fn units(model: &Semantic) -> (Vec<Unit>, HashMap<Id, usize>) {
    let board = model.board;
    let mut units: Vec<Unit> = Vec::new();
    let mut owner: HashMap<Id, usize> = HashMap::default();
    let attach = |units: &mut Vec<Unit>, owner: &mut HashMap<Id, usize>, id: Id, u: usize| {
        units[u].members.push(id);
        owner.insert(id, u);
    };
    let new_unit = |units: &mut Vec<Unit>, owner: &mut HashMap<Id, usize>, e: &Element| {
        owner.insert(e.id, units.len());
        units.push(Unit {
            id: e.id,
            members: vec![e.id],
            frame: model.context_of(e.id),
        });
    };
    for a in in_reading_order(board, ElementKind::Aggregate) {
        new_unit(&mut units, &mut owner, a);
    }
    for c in in_reading_order(board, ElementKind::Command) {
        match model
            .targets(c.id, ElementKind::Aggregate)
            .first()
            .and_then(|a| owner.get(&a.id).copied())
        {
            Some(u) => attach(&mut units, &mut owner, c.id, u),
            None => new_unit(&mut units, &mut owner, c),
        }
    }
    let first_owner = |owner: &HashMap<Id, usize>, of: Vec<&Element>| {
        of.iter().find_map(|e| owner.get(&e.id).copied())
    };
    for e in in_reading_order(board, ElementKind::DomainEvent) {
        let u = first_owner(&owner, model.sources(e.id, ElementKind::Aggregate))
            .or_else(|| first_owner(&owner, model.sources(e.id, ElementKind::Command)));
        if let Some(u) = u {
            attach(&mut units, &mut owner, e.id, u);
        }
    }
    for p in in_reading_order(board, ElementKind::Policy) {
        let u = first_owner(&owner, model.targets(p.id, ElementKind::Command))
            .or_else(|| first_owner(&owner, model.sources(p.id, ElementKind::DomainEvent)));
        if let Some(u) = u {
            attach(&mut units, &mut owner, p.id, u);
        }
    }
    for r in in_reading_order(board, ElementKind::ReadModel) {
        let mut tally: BTreeMap<usize, usize> = BTreeMap::new();
        for e in model.sources(r.id, ElementKind::DomainEvent) {
            if let Some(u) = owner.get(&e.id) {
                *tally.entry(*u).or_default() += 1;
            }
        }
        // The most events; on a tie, the first unit in reading order.
        let best = tally
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(u, _)| *u)
            // Fed by no event yet (an imported API's GET): the aggregate its label starts with
            // ("Order view" → Order), the longest such label.
            .or_else(|| {
                let label = r.label.to_lowercase();
                units
                    .iter()
                    .enumerate()
                    .filter_map(|(u, unit)| Some((u, board.element(unit.id)?)))
                    .filter(|(_, e)| e.kind == ElementKind::Aggregate)
                    .filter(|(_, e)| {
                        let name = e.label.to_lowercase();
                        !name.is_empty()
                            && label.starts_with(&name)
                            && label[name.len()..].starts_with([' ', '\n'])
                    })
                    .max_by(|(a, x), (b, y)| x.label.len().cmp(&y.label.len()).then(b.cmp(a)))
                    .map(|(u, _)| u)
            });
        if let Some(u) = best {
            attach(&mut units, &mut owner, r.id, u);
        }
    }
    for kind in [ElementKind::Actor, ElementKind::ExternalSystem] {
        for x in in_reading_order(board, kind) {
            let mut reached: Vec<usize> = model
                .targets(x.id, ElementKind::Command)
                .iter()
                .chain(model.sources(x.id, ElementKind::Command).iter())
                .chain(model.targets(x.id, ElementKind::DomainEvent).iter())
                .filter_map(|e| owner.get(&e.id).copied())
                .collect();
            reached.sort_unstable();
            reached.dedup();
            if let [u] = reached[..] {
                attach(&mut units, &mut owner, x.id, u);
            }
        }
    }
    (units, owner)
}

/// A5: each unit's own weight, and the bonds between units (smaller index first).
fn bonds(
    model: &Semantic,
    units: &[Unit],
    owner: &HashMap<Id, usize>,
) -> (Vec<f64>, BTreeMap<(usize, usize), f64>) {
    let own: Vec<f64> = units.iter().map(|u| u.members.len() as f64 * OWN).collect();
    let mut bonds: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let mut bind = |a: Option<&usize>, b: Option<&usize>, w: f64| {
        if let (Some(&a), Some(&b)) = (a, b)
            && a != b
        {
            *bonds.entry((a.min(b), a.max(b))).or_default() += w;
        }
    };
    let board = model.board;
    for c in board.connections() {
        let (Some(from), Some(to)) = (board.element(c.from), board.element(c.to)) else {
            continue;
        };
        let weight = match (from.kind, to.kind) {
            (ElementKind::Command | ElementKind::Policy, ElementKind::Command) => CALL,
            (ElementKind::DomainEvent, ElementKind::ReadModel) => READS,
            (ElementKind::DomainEvent, ElementKind::Policy) => REACTS,
            (ElementKind::Aggregate, ElementKind::Aggregate) => REFERENCE,
            _ => continue,
        };
        bind(owner.get(&from.id), owner.get(&to.id), weight);
    }
    for actor in in_reading_order(board, ElementKind::Actor) {
        let mut reached: Vec<usize> = model
            .targets(actor.id, ElementKind::Command)
            .iter()
            .filter_map(|c| owner.get(&c.id).copied())
            .collect();
        reached.sort_unstable();
        reached.dedup();
        for (i, a) in reached.iter().enumerate() {
            for b in &reached[i + 1..] {
                bind(Some(a), Some(b), ACTOR);
            }
        }
    }
    (own, bonds)
}

/// A6: greedy modularity clustering (Clauset, Newman and Moore): every unit starts alone; the
/// pair of clusters whose merge raises the modularity most is merged, until no merge raises it.
/// A unit's own weight is a loop, so a unit with much of its own is not pulled in by one weak
/// bond. Ties go to the pair that comes first in reading order. Each cluster is sorted and the
/// clusters are ordered by their first unit.
pub(crate) fn cluster(own: &[f64], bonds: &BTreeMap<(usize, usize), f64>) -> Vec<Vec<usize>> {
    let n = own.len();
    let total: f64 = own.iter().sum::<f64>() + bonds.values().sum::<f64>();
    let mut clusters: Vec<Option<Vec<usize>>> = (0..n).map(|u| Some(vec![u])).collect();
    if total <= 0.0 {
        return clusters.into_iter().flatten().collect();
    }
    let mut degree: Vec<f64> = own.iter().map(|w| 2.0 * w).collect();
    for (&(a, b), w) in bonds {
        degree[a] += w;
        degree[b] += w;
    }
    let mut between = bonds.clone();
    loop {
        let mut best: Option<((usize, usize), f64)> = None;
        for (&(a, b), &w) in &between {
            let gain = w / total - degree[a] * degree[b] / (2.0 * total * total);
            if gain > 1e-12 && best.is_none_or(|(_, g)| gain > g) {
                best = Some(((a, b), gain));
            }
        }
        let Some(((a, b), _)) = best else { break };
        let moved = clusters[b].take().expect("a live cluster");
        clusters[a].as_mut().expect("a live cluster").extend(moved);
        degree[a] += degree[b];
        let old = std::mem::take(&mut between);
        for ((x, y), w) in old {
            let x = if x == b { a } else { x };
            let y = if y == b { a } else { y };
            if x != y {
                *between.entry((x.min(y), x.max(y))).or_default() += w;
            }
        }
    }
    let mut out: Vec<Vec<usize>> = clusters
        .into_iter()
        .flatten()
        .map(|mut c| {
            c.sort_unstable();
            c
        })
        .collect();
    out.sort();
    out
}

/// A7: each cluster keeps the frame most of its members are in, each frame going to one
/// cluster at most, the largest overlap first; the others get a new frame named after their
/// heaviest unit (its own members and its bonds: the table everything refers to, not a side
/// table). Groups of kept frames come first, in the frames' reading order.
fn groups(
    model: &Semantic,
    units: &[Unit],
    clusters: &[Vec<usize>],
    frames: &[&Element],
    weight: &[f64],
) -> Vec<Group> {
    let board = model.board;
    let mut overlaps: Vec<(usize, usize, usize)> = Vec::new();
    for (c, cluster) in clusters.iter().enumerate() {
        for (f, frame) in frames.iter().enumerate() {
            let overlap = cluster
                .iter()
                .flat_map(|u| &units[*u].members)
                .filter(|m| model.context_of(**m) == Some(frame.id))
                .count();
            if overlap > 0 {
                overlaps.push((overlap, c, f));
            }
        }
    }
    overlaps.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut kept: Vec<Option<usize>> = vec![None; clusters.len()];
    let mut taken = vec![false; frames.len()];
    for (_, c, f) in overlaps {
        if kept[c].is_none() && !taken[f] {
            kept[c] = Some(f);
            taken[f] = true;
        }
    }
    let mut order: Vec<usize> = (0..clusters.len()).collect();
    // Kept frames first, in reading order; then the new ones, by their first unit.
    order.sort_by_key(|c| (kept[*c].unwrap_or(usize::MAX), clusters[*c][0]));
    order
        .into_iter()
        .map(|c| (&clusters[c], kept[c]))
        .map(|(cluster, frame)| {
            let name = match frame {
                Some(f) => frames[f].label.clone(),
                None => {
                    let largest = cluster
                        .iter()
                        .copied()
                        .max_by(|a, b| weight[*a].total_cmp(&weight[*b]).then(b.cmp(a)))
                        .expect("a cluster has a unit");
                    board
                        .element(units[largest].id)
                        .map_or_else(String::new, |e| e.label.clone())
                }
            };
            Group {
                name,
                frame: frame.map(|f| frames[f].id),
                units: cluster.clone(),
            }
        })
        .collect()
}

/// Where an element is under the cut: its unit's group; an element of no unit stays in its
/// frame's group (or, when no group keeps that frame, in a place of its own after the groups).
pub(crate) fn suggested_place<'a>(
    model: &'a Semantic,
    units: &'a [Unit],
    owner: &'a HashMap<Id, usize>,
    groups: &'a [Group],
    frame_index: &'a BTreeMap<Id, usize>,
) -> impl Fn(Id) -> Option<usize> + 'a {
    let mut group_of_unit = vec![0; units.len()];
    for (g, group) in groups.iter().enumerate() {
        for &u in &group.units {
            group_of_unit[u] = g;
        }
    }
    move |id: Id| {
        if let Some(u) = owner.get(&id) {
            return Some(group_of_unit[*u]);
        }
        let frame = model.context_of(id)?;
        groups
            .iter()
            .position(|g| g.frame == Some(frame))
            .or_else(|| frame_index.get(&frame).map(|f| groups.len() + f))
    }
}

/// A8: how tangled the split that `place` describes is.
fn score(
    model: &Semantic,
    places: usize,
    place: &dyn Fn(Id) -> Option<usize>,
    contexts: usize,
) -> Score {
    let links: Vec<Link> = links(model, place);
    let mut shared = 0;
    for r in in_reading_order(model.board, ElementKind::ReadModel) {
        let mut from: Vec<usize> = model
            .sources(r.id, ElementKind::DomainEvent)
            .iter()
            .filter_map(|e| place(e.id))
            .collect();
        from.sort_unstable();
        from.dedup();
        if from.len() > 1 {
            shared += 1;
        }
    }
    Score {
        contexts,
        sync_calls: links.iter().filter(|l| l.style == Style::Calls).count(),
        shared_read_models: shared,
        cycles: cycles(places, &links).len(),
        event_links: links.iter().filter(|l| l.style == Style::Events).count(),
    }
}
