//! The plan (docs/assessment.md A9, A10): an order of extraction in waves from the dependency
//! graph, each step with its reason and its risks.

use std::collections::{BTreeMap, BTreeSet};

use super::cut::Cut;
use super::{Link, Style, in_reading_order, links, strongly_connected};
use crate::model::{ElementKind, Id};
use crate::semantic::Semantic;

/// What the waves order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Part {
    pub name: String,
    /// Its frame, none for a new frame of the suggested cut.
    pub frame: Option<Id>,
}

/// The plan.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Plan {
    /// The current frames, or, when a frame is marked as the monolith, the suggested cut's groups
    /// (A10).
    pub parts: Vec<Part>,
    /// The part that is the monolith: what remains, never a wave of its own.
    pub monolith: Option<usize>,
    pub waves: Vec<Vec<Step>>,
}

/// One part extracted in a wave.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Step {
    pub part: usize,
    pub reason: Reason,
    pub risks: Vec<Risk>,
}

/// Why a part comes in its wave (A9).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reason {
    /// No other part depends on it.
    NothingDependsOn,
    /// Only parts of earlier waves depend on it.
    EarlierDependOn { parts: Vec<usize> },
    /// It and `with` depend on each other: extracted together; `earlier` (outside the cycle)
    /// depend on them and left in earlier waves.
    Cycle {
        with: Vec<usize>,
        earlier: Vec<usize>,
    },
    /// What remains in the monolith still depends on it (and `earlier` waves do).
    MonolithDependsOn { earlier: Vec<usize> },
}

/// What can go wrong extracting a part (A9).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Risk {
    /// It depends on these parts and they on it: extracted together, or break the cycle.
    Cycle { with: Vec<usize> },
    /// Its read model needs another part's event (data shared across services).
    SharedData {
        read_model: Id,
        event: Id,
        from: usize,
    },
    /// Its aggregate refers to another part's aggregate (a foreign key across services).
    Reference {
        aggregate: Id,
        target: Id,
        owner: usize,
    },
    /// Another part's aggregate refers to its aggregate.
    ReferencedBy {
        aggregate: Id,
        target: Id,
        part: usize,
    },
    /// It calls another part's command synchronously: a candidate for an event.
    Calls { by: Id, command: Id, part: usize },
    /// Another part calls its command synchronously.
    CalledBy { by: Id, command: Id, part: usize },
}

impl Plan {
    pub fn of(model: &Semantic, cut: &Cut) -> Self {
        let frames = model.contexts();
        let frame_index: BTreeMap<Id, usize> =
            frames.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
        let monolith_frame = frames.iter().find(|f| is_monolith(&f.label)).map(|f| f.id);
        let suggested = cut.place(model, &frame_index);
        let now = |id: Id| {
            model
                .context_of(id)
                .and_then(|f| frame_index.get(&f).copied())
        };
        let (parts, monolith): (Vec<Part>, Option<usize>) = match monolith_frame {
            Some(m) => (
                cut.groups
                    .iter()
                    .map(|g| Part {
                        name: g.name.clone(),
                        frame: g.frame,
                    })
                    .collect(),
                cut.groups.iter().position(|g| g.frame == Some(m)),
            ),
            None => (
                frames
                    .iter()
                    .map(|f| Part {
                        name: f.label.clone(),
                        frame: Some(f.id),
                    })
                    .collect(),
                None,
            ),
        };
        let count = parts.len();
        let part_of = |id: Id| -> Option<usize> {
            match monolith_frame {
                Some(_) => suggested(id).filter(|p| *p < count),
                None => now(id),
            }
        };
        let links = links(model, &part_of);
        let references = references(model, &part_of);
        let waves = waves(parts.len(), monolith, &links, &references);
        Self {
            parts,
            monolith,
            waves,
        }
    }
}

/// A10: a frame is the monolith when its label says so ("Monolith", "Legacy monolith",
/// "모놀리스"), as the SQL and OpenAPI imports name theirs.
pub fn is_monolith(label: &str) -> bool {
    label.to_lowercase().contains("monolith") || label.contains("모놀리스")
}

/// Aggregate → aggregate arrows between parts: (aggregate, its part, target, the target's part).
fn references(
    model: &Semantic,
    part_of: &dyn Fn(Id) -> Option<usize>,
) -> Vec<(Id, usize, Id, usize)> {
    let mut out = Vec::new();
    for a in in_reading_order(model.board, ElementKind::Aggregate) {
        for t in model.targets(a.id, ElementKind::Aggregate) {
            if let (Some(p), Some(q)) = (part_of(a.id), part_of(t.id))
                && p != q
            {
                out.push((a.id, p, t.id, q));
            }
        }
    }
    out
}

/// A9: the parts other than the monolith in waves. The dependency graph is condensed (a cycle is
/// extracted as one); each wave takes every part that no part still to extract depends on, so
/// the least depended-on go first and a part's dependents are already out when it goes.
fn waves(
    parts: usize,
    monolith: Option<usize>,
    links: &[Link],
    references: &[(Id, usize, Id, usize)],
) -> Vec<Vec<Step>> {
    let mut depends: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); parts];
    for l in links {
        depends[l.downstream].insert(l.upstream);
    }
    for &(_, p, _, q) in references {
        depends[p].insert(q);
    }
    let components: Vec<Vec<usize>> = strongly_connected(&depends)
        .into_iter()
        .filter(|c| Some(c[0]) != monolith || c.len() > 1)
        .map(|c| {
            c.into_iter()
                .filter(|p| Some(*p) != monolith)
                .collect::<Vec<_>>()
        })
        .filter(|c| !c.is_empty())
        .collect();
    let component_of: BTreeMap<usize, usize> = components
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.iter().map(move |p| (*p, i)))
        .collect();
    let mut done = vec![false; components.len()];
    let mut wave_of: BTreeMap<usize, usize> = BTreeMap::new();
    let mut waves: Vec<Vec<Step>> = Vec::new();
    while done.iter().any(|d| !d) {
        let ready: Vec<usize> = (0..components.len())
            .filter(|c| !done[*c])
            .filter(|c| {
                // Nobody still to extract (outside this component) depends on it.
                (0..parts).all(|q| {
                    let Some(qc) = component_of.get(&q) else {
                        return true;
                    };
                    done[*qc] || qc == c || components[*c].iter().all(|p| !depends[q].contains(p))
                })
            })
            .collect();
        // A condensed graph always has a component nobody still depends on; this only guards.
        let ready = if ready.is_empty() {
            vec![
                (0..components.len())
                    .find(|c| !done[*c])
                    .expect("one is left"),
            ]
        } else {
            ready
        };
        let mut wave = Vec::new();
        for c in ready {
            done[c] = true;
            for &p in &components[c] {
                wave_of.insert(p, waves.len());
                let dependents: Vec<usize> = (0..parts)
                    .filter(|q| *q != p && Some(*q) != monolith && depends[*q].contains(&p))
                    .filter(|q| !components[c].contains(q))
                    .collect();
                let with: Vec<usize> = components[c].iter().copied().filter(|q| *q != p).collect();
                let monolith_depends = monolith.is_some_and(|m| depends[m].contains(&p));
                let reason = if !with.is_empty() {
                    Reason::Cycle {
                        with,
                        earlier: dependents,
                    }
                } else if monolith_depends {
                    Reason::MonolithDependsOn {
                        earlier: dependents,
                    }
                } else if dependents.is_empty() {
                    Reason::NothingDependsOn
                } else {
                    Reason::EarlierDependOn { parts: dependents }
                };
                wave.push(Step {
                    part: p,
                    reason,
                    risks: risks(p, &components[c], links, references),
                });
            }
        }
        wave.sort_by_key(|s| s.part);
        waves.push(wave);
    }
    waves
}

fn risks(
    part: usize,
    component: &[usize],
    links: &[Link],
    references: &[(Id, usize, Id, usize)],
) -> Vec<Risk> {
    let mut out = Vec::new();
    if component.len() > 1 {
        out.push(Risk::Cycle {
            with: component.iter().copied().filter(|p| *p != part).collect(),
        });
    }
    for l in links {
        let risk = match l.style {
            // Only read models carry data; a policy reacting to an event is the healthy kind.
            Style::Events if l.downstream == part && l.by_kind == ElementKind::ReadModel => {
                Risk::SharedData {
                    read_model: l.by,
                    event: l.through,
                    from: l.upstream,
                }
            }
            Style::Calls if l.downstream == part => Risk::Calls {
                by: l.by,
                command: l.through,
                part: l.upstream,
            },
            Style::Calls if l.upstream == part => Risk::CalledBy {
                by: l.by,
                command: l.through,
                part: l.downstream,
            },
            _ => continue,
        };
        if !out.contains(&risk) {
            out.push(risk);
        }
    }
    for &(aggregate, p, target, q) in references {
        if p == part {
            out.push(Risk::Reference {
                aggregate,
                target,
                owner: q,
            });
        } else if q == part {
            out.push(Risk::ReferencedBy {
                aggregate,
                target,
                part: p,
            });
        }
    }
    out
}
