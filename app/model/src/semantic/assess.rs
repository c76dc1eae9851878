//! Assessing a board for a migration (docs/assessment.md): the context map, each context's
//! metrics, a suggested cut ([`cut`]) and a plan of extraction in waves ([`plan`]). Pure and
//! deterministic: the browser's assessment view, the Markdown design document, the Mermaid and
//! Context Mapper exports all read one [`Assessment`].

/// The suggested cut: a deterministic clustering of the aggregates (A5–A8).
pub mod cut;
/// The plan: waves of extraction with their reasons and risks (A9, A10).
pub mod plan;

use std::collections::{BTreeMap, BTreeSet};

use super::Semantic;
use super::rules::{self, Problem};
use crate::model::{Board, Element, ElementKind, Id};

/// A board assessed: what the assessment view, the design document and the context map
/// exports show.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Assessment {
    /// One per bounded-context frame, in reading order (left to right, top to bottom).
    pub contexts: Vec<ContextReport>,
    /// The context map's edges (A1), upstream and downstream by index into `contexts`.
    pub relations: Vec<Relation>,
    /// Groups of contexts that depend on each other in a circle (A3), by index, each sorted.
    pub cycles: Vec<Vec<usize>>,
    /// Synchronous chains (A3): a context calls one that calls another, each as the path of
    /// context indices, caller first.
    pub sync_chains: Vec<Vec<usize>>,
    pub cut: cut::Cut,
    pub plan: plan::Plan,
    /// Every problem of the model (docs/model-rules.md), checked once: each context's are also in
    /// its report.
    pub problems: Vec<Problem>,
}

/// How a downstream context depends on an upstream one (A1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// Publish / subscribe: the downstream's policies or read models consume the upstream's
    /// events.
    Events,
    /// Synchronous: the downstream's commands or policies call the upstream's commands.
    Calls,
}

/// One edge of the context map.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Relation {
    pub upstream: usize,
    pub downstream: usize,
    pub style: Style,
    /// The events consumed (`Events`) or the commands called (`Calls`), in reading order.
    pub through: Vec<Id>,
    /// Part of a cycle of the context map (A3).
    pub in_cycle: bool,
}

/// How many of each kind a context holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub aggregates: usize,
    pub commands: usize,
    pub events: usize,
    pub policies: usize,
    pub read_models: usize,
}

/// One bounded context's metrics (A2).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ContextReport {
    pub id: Id,
    pub name: String,
    pub counts: Counts,
    /// Afferent coupling: how many other contexts depend on it.
    pub afferent: usize,
    /// Efferent coupling: how many other contexts it depends on.
    pub efferent: usize,
    /// `efferent / (afferent + efferent)`, none when it has neither.
    pub instability: Option<f64>,
    /// How many other contexts its commands and policies call synchronously.
    pub sync_fan_out: usize,
    /// The external systems its commands call.
    pub external_calls: Vec<Id>,
    /// Its events other contexts consume.
    pub published: Vec<Id>,
    /// Other contexts' events it consumes.
    pub consumed: Vec<Id>,
    /// The data it owns: its aggregates (their fields are on the board).
    pub owns: Vec<Id>,
    /// Its open hotspots.
    pub hotspots: Vec<Id>,
    /// The model's problems on its elements (docs/model-rules.md).
    pub problems: Vec<Problem>,
}

/// A dependency between two places (contexts now, or groups of a cut): the link the context map,
/// the metrics, the cut's score and the plan all count (A1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    pub upstream: usize,
    pub downstream: usize,
    pub style: Style,
    pub through: Id,
    /// The element on the downstream side: the policy, read model or calling command.
    pub by: Id,
    pub by_kind: ElementKind,
}

impl Assessment {
    pub fn of(board: &Board) -> Self {
        let model = Semantic::of(board);
        Self::of_model(&model)
    }

    pub fn of_model(model: &Semantic) -> Self {
        let frames = model.contexts();
        let index: BTreeMap<Id, usize> =
            frames.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
        let place = |id: Id| model.context_of(id).and_then(|f| index.get(&f).copied());
        let links = links(model, &place);
        let relations = relations(&links);
        let cycles = cycles(frames.len(), &links);
        let in_cycle = |a: usize, b: usize| cycles.iter().any(|c| c.contains(&a) && c.contains(&b));
        let relations = relations
            .into_iter()
            .map(|mut r| {
                r.in_cycle = in_cycle(r.upstream, r.downstream);
                r
            })
            .collect::<Vec<_>>();
        let problems = rules::check_model(model);
        let contexts = frames
            .iter()
            .enumerate()
            .map(|(i, frame)| report(model, i, frame, &links, &problems))
            .collect();
        let sync_chains = sync_chains(frames.len(), &links);
        let cut = cut::Cut::of(model);
        let plan = plan::Plan::of(model, &cut);
        Self {
            contexts,
            relations,
            cycles,
            sync_chains,
            cut,
            plan,
            problems,
        }
    }
}

/// Every element of `kind` on the board, in reading order (left to right, top to bottom).
pub(crate) fn in_reading_order(board: &Board, kind: ElementKind) -> Vec<&Element> {
    let mut all: Vec<&Element> = board.elements().filter(|e| e.kind == kind).collect();
    all.sort_by(|a, b| {
        (a.x, a.y, a.id)
            .partial_cmp(&(b.x, b.y, b.id))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    all
}

/// The dependencies between places (A1): a policy or read model in one place consuming an event
/// of another (`Events`), a command or policy calling a command of another (`Calls`). `place`
/// says where an element is; elements in no place make no link.
pub(crate) fn links(model: &Semantic, place: &dyn Fn(Id) -> Option<usize>) -> Vec<Link> {
    let mut out = Vec::new();
    for kind in [ElementKind::Policy, ElementKind::ReadModel] {
        for by in in_reading_order(model.board, kind) {
            let Some(down) = place(by.id) else { continue };
            for event in model.sources(by.id, ElementKind::DomainEvent) {
                if let Some(up) = place(event.id).filter(|up| *up != down) {
                    out.push(Link {
                        upstream: up,
                        downstream: down,
                        style: Style::Events,
                        through: event.id,
                        by: by.id,
                        by_kind: kind,
                    });
                }
            }
        }
    }
    for kind in [ElementKind::Command, ElementKind::Policy] {
        for by in in_reading_order(model.board, kind) {
            let Some(down) = place(by.id) else { continue };
            for command in model.targets(by.id, ElementKind::Command) {
                if let Some(up) = place(command.id).filter(|up| *up != down) {
                    out.push(Link {
                        upstream: up,
                        downstream: down,
                        style: Style::Calls,
                        through: command.id,
                        by: by.id,
                        by_kind: kind,
                    });
                }
            }
        }
    }
    out
}

/// The context map's edges: one per upstream, downstream and style, in that order.
fn relations(links: &[Link]) -> Vec<Relation> {
    let mut by_edge: BTreeMap<(usize, usize, Style), Vec<Id>> = BTreeMap::new();
    for l in links {
        let through = by_edge
            .entry((l.upstream, l.downstream, l.style))
            .or_default();
        if !through.contains(&l.through) {
            through.push(l.through);
        }
    }
    by_edge
        .into_iter()
        .map(|((upstream, downstream, style), through)| Relation {
            upstream,
            downstream,
            style,
            through,
            in_cycle: false,
        })
        .collect()
}

/// The places that depend on each other in a circle (A3): the strongly connected components of
/// the dependency graph with more than one member, each sorted, ordered by their first member.
pub(crate) fn cycles(places: usize, links: &[Link]) -> Vec<Vec<usize>> {
    let mut depends: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); places];
    for l in links {
        depends[l.downstream].insert(l.upstream);
    }
    let mut out: Vec<Vec<usize>> = strongly_connected(&depends)
        .into_iter()
        .filter(|c| c.len() > 1)
        .collect();
    out.sort();
    out
}

/// Tarjan's strongly connected components of `edges` (node → successors), each sorted.
pub(crate) fn strongly_connected(edges: &[BTreeSet<usize>]) -> Vec<Vec<usize>> {
    struct State<'e> {
        edges: &'e [BTreeSet<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    // Iterative, so a long chain of contexts cannot overflow the stack.
    fn visit(s: &mut State, root: usize) {
        let mut work: Vec<(usize, Vec<usize>)> = Vec::new();
        s.index[root] = Some(s.next);
        s.low[root] = s.next;
        s.next += 1;
        s.stack.push(root);
        s.on_stack[root] = true;
        work.push((root, s.edges[root].iter().rev().copied().collect()));
        while let Some((v, pending)) = work.last_mut() {
            let v = *v;
            if let Some(w) = pending.pop() {
                match s.index[w] {
                    None => {
                        s.index[w] = Some(s.next);
                        s.low[w] = s.next;
                        s.next += 1;
                        s.stack.push(w);
                        s.on_stack[w] = true;
                        work.push((w, s.edges[w].iter().rev().copied().collect()));
                    }
                    Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                    Some(_) => {}
                }
                continue;
            }
            work.pop();
            if let Some((parent, _)) = work.last() {
                let parent = *parent;
                s.low[parent] = s.low[parent].min(s.low[v]);
            }
            if Some(s.low[v]) == s.index[v] {
                let mut component = Vec::new();
                while let Some(w) = s.stack.pop() {
                    s.on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                s.out.push(component);
            }
        }
    }
    let n = edges.len();
    let mut s = State {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.out
}

/// The longest synchronous paths (A3): a caller that calls a context that calls another, each
/// maximal and without repeating a context, from every context nothing calls (or, in a circle
/// of calls, from its first member). At most 20.
fn sync_chains(places: usize, links: &[Link]) -> Vec<Vec<usize>> {
    const MAX: usize = 20;
    let mut calls: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); places];
    let mut called = vec![false; places];
    for l in links.iter().filter(|l| l.style == Style::Calls) {
        calls[l.downstream].insert(l.upstream);
        called[l.upstream] = true;
    }
    let circles = strongly_connected(&calls);
    let starts =
        (0..places).filter(|p| !called[*p] || circles.iter().any(|c| c.len() > 1 && c[0] == *p));
    let mut out = Vec::new();
    for start in starts {
        let mut path = vec![start];
        extend(&calls, &mut path, &mut out, MAX);
    }
    out.truncate(MAX);
    out
}

fn extend(calls: &[BTreeSet<usize>], path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>, max: usize) {
    if out.len() >= max {
        return;
    }
    let last = *path.last().expect("a path has a start");
    let next: Vec<usize> = calls[last]
        .iter()
        .copied()
        .filter(|n| !path.contains(n))
        .collect();
    if next.is_empty() {
        if path.len() >= 3 {
            out.push(path.clone());
        }
        return;
    }
    for n in next {
        path.push(n);
        extend(calls, path, out, max);
        path.pop();
    }
}

fn report(
    model: &Semantic,
    i: usize,
    frame: &Element,
    links: &[Link],
    problems: &[Problem],
) -> ContextReport {
    let members = |kind| model.members(frame.id, kind);
    let ids = |kind| {
        members(kind)
            .iter()
            .map(|e: &&Element| e.id)
            .collect::<Vec<_>>()
    };
    let counts = Counts {
        aggregates: members(ElementKind::Aggregate).len(),
        commands: members(ElementKind::Command).len(),
        events: members(ElementKind::DomainEvent).len(),
        policies: members(ElementKind::Policy).len(),
        read_models: members(ElementKind::ReadModel).len(),
    };
    let depended_on_by: BTreeSet<usize> = links
        .iter()
        .filter(|l| l.upstream == i)
        .map(|l| l.downstream)
        .collect();
    let depends_on: BTreeSet<usize> = links
        .iter()
        .filter(|l| l.downstream == i)
        .map(|l| l.upstream)
        .collect();
    let (afferent, efferent) = (depended_on_by.len(), depends_on.len());
    let calls: BTreeSet<usize> = links
        .iter()
        .filter(|l| l.downstream == i && l.style == Style::Calls)
        .map(|l| l.upstream)
        .collect();
    let unique = |ids: &mut Vec<Id>, id: Id| {
        if !ids.contains(&id) {
            ids.push(id);
        }
    };
    let mut published = Vec::new();
    let mut consumed = Vec::new();
    for l in links.iter().filter(|l| l.style == Style::Events) {
        if l.upstream == i {
            unique(&mut published, l.through);
        }
        if l.downstream == i {
            unique(&mut consumed, l.through);
        }
    }
    let mut external_calls = Vec::new();
    for command in members(ElementKind::Command) {
        for x in model.targets(command.id, ElementKind::ExternalSystem) {
            unique(&mut external_calls, x.id);
        }
    }
    ContextReport {
        id: frame.id,
        name: frame.label.clone(),
        counts,
        afferent,
        efferent,
        instability: (afferent + efferent > 0)
            .then(|| efferent as f64 / (afferent + efferent) as f64),
        sync_fan_out: calls.len(),
        external_calls,
        published,
        consumed,
        owns: ids(ElementKind::Aggregate),
        hotspots: ids(ElementKind::Hotspot),
        problems: problems
            .iter()
            .filter(|p| model.context_of(p.element) == Some(frame.id) || p.element == frame.id)
            .cloned()
            .collect(),
    }
}

#[cfg(test)]
mod tests;
