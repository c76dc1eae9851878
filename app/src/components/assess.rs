//! The assessment view (docs/assessment.md): the board's context map, each context's metrics, the
//! suggested cut beside the current frames (applied as one undoable batch) and the plan in
//! waves. Computed in the browser from this page's copy of the board (`Assessment::of`, the same
//! code the design document export runs), so it follows every edit, anyone's.

use leptos::prelude::*;

use crate::editor::Editor;
use crate::i18n::{fill, t_string, text, use_i18n};
use crate::model::{Board, Id, new_id};
use crate::semantic::Semantic;
use crate::semantic::assess::plan::{Reason, Risk};
use crate::semantic::assess::{Assessment, Style};

/// The map's drawing: each context on a circle, in reading order from the top.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Node {
    pub x: f64,
    pub y: f64,
}

const MAP_W: f64 = 960.0;
const MAP_H: f64 = 400.0;
const NODE_W: f64 = 132.0;
const NODE_H: f64 = 40.0;
/// A board this large is assessed once edits pause, not after each.
const LARGE: usize = 1_000;

/// Where each of `n` contexts goes on the map.
pub fn layout(n: usize) -> Vec<Node> {
    let (cx, cy) = (MAP_W / 2.0, MAP_H / 2.0);
    if n == 1 {
        return vec![Node { x: cx, y: cy }];
    }
    (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
            Node {
                x: cx + (MAP_W / 2.0 - NODE_W / 2.0 - 16.0) * a.cos(),
                y: cy + (MAP_H / 2.0 - NODE_H / 2.0 - 16.0) * a.sin(),
            }
        })
        .collect()
}

/// An edge as a quadratic curve bent to its left, so the two directions between a pair of
/// contexts do not overlap (`bend` pixels at the middle: calls bend further than events, so the
/// two styles between one pair do not overlap either); the point its label sits on, and the label's anchor (away from the
/// other direction's label: `start` when the curve bends right, `end` when left).
pub fn curve(from: Node, to: Node, bend: f64) -> (String, Node, &'static str) {
    let (dx, dy) = (to.x - from.x, to.y - from.y);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (nx, ny) = (-dy / len * bend, dx / len * bend);
    let anchor = if nx > 20.0 {
        "start"
    } else if nx < -20.0 {
        "end"
    } else {
        "middle"
    };
    let (mx, my) = ((from.x + to.x) / 2.0 + nx, (from.y + to.y) / 2.0 + ny);
    // End on the target box's edge, not its centre, so the arrowhead shows.
    let shrink = |p: Node, q: Node| {
        let (vx, vy) = (q.x - p.x, q.y - p.y);
        let t = ((NODE_W / 2.0) / vx.abs().max(1e-9))
            .min((NODE_H / 2.0) / vy.abs().max(1e-9))
            .min(1.0);
        Node {
            x: p.x + vx * t,
            y: p.y + vy * t,
        }
    };
    let control = Node { x: mx, y: my };
    let (start, end) = (shrink(from, control), shrink(to, control));
    let label = Node {
        x: 0.25 * start.x + 0.5 * mx + 0.25 * end.x,
        y: 0.25 * start.y + 0.5 * my + 0.25 * end.y,
    };
    (
        format!(
            "M{:.1},{:.1} Q{mx:.1},{my:.1} {:.1},{:.1}",
            start.x, start.y, end.x, end.y
        ),
        label,
        anchor,
    )
}

fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

#[component]
pub fn AssessPanel(editor: Editor, open: RwSignal<bool>, read_only: Signal<bool>) -> impl IntoView {
    crate::split::lazily_closable(crate::preload!(__preload_assess_panel), open, move || {
        assess_panel(editor, open, read_only)
    })
}

/// The view's code (and the assessment's: metrics, cut, plan), fetched when it first opens
/// (`crate::split`).
#[lazy]
fn assess_panel(editor: Editor, open: RwSignal<bool>, read_only: Signal<bool>) -> AnyView {
    view! { <Loaded editor open read_only /> }.into_any()
}

#[component]
fn Loaded(editor: Editor, open: RwSignal<bool>, read_only: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    // Recomputed after every change; on a large board (BENCHMARKS.md: ~0.1 s natively at 2,500
    // elements) only once the edits pause for a quarter of a second.
    let settled = RwSignal::new(editor.version.get_untracked());
    Effect::new(move |_| {
        let version = editor.version.get();
        if editor.with_board(|b| b.elements().len()) < LARGE {
            settled.set(version);
            return;
        }
        set_timeout(
            move || {
                if editor.version.get_untracked() == version {
                    settled.set(version);
                }
            },
            std::time::Duration::from_millis(250),
        );
    });
    let assessment = Memo::new(move |_| {
        settled.track();
        editor.with_board(Assessment::of)
    });
    let label = move |id: Id| {
        editor.with_board(|b: &Board| b.element(id).map(|e| e.label.clone()).unwrap_or_default())
    };
    let applied = RwSignal::new(false);
    let close = move || open.set(false);
    let panel = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = panel.get() {
            let _ = el.focus();
        }
    });
    // The button pressed disappears or turns disabled: focus goes back to the panel, so Escape
    // still closes it.
    let refocus = move || {
        if let Some(el) = panel.get_untracked() {
            let _ = el.focus();
        }
    };
    let apply = move |_| {
        let ops = editor.with_board(|b| assessment.with_untracked(|a| a.cut.ops(b, new_id)));
        if editor.commit(ops) {
            applied.set(true);
        }
        refocus();
    };
    let undo = move |_| {
        editor.undo();
        applied.set(false);
        refocus();
    };
    let (id, key) = (editor.board_id(), editor.board_key());
    let download = move |target: &str| format!("/api/boards/{id}/export?target={target}&key={key}");
    let names = move |parts: &[usize], a: &Assessment| {
        parts
            .iter()
            .map(|p| a.plan.parts[*p].name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };

    view! {
        <div class="modal-backdrop" on:click=move |_| close()
            on:keydown=move |ev| if ev.key() == "Escape" { close() }>
            <div class="modal assess-panel" role="dialog" aria-label=text(move || t_string!(i18n, assess.title)) tabindex="-1" node_ref=panel
                on:click=|ev| ev.stop_propagation()>
                <header class="assess-head">
                    <h2>{text(move || t_string!(i18n, assess.title))}</h2>
                    <nav class="assess-downloads" aria-label=text(move || t_string!(i18n, assess.downloads))>
                        <a class="button secondary" href=download("context-map-mermaid") download="">{text(move || t_string!(i18n, assess.mermaid))}</a>
                        <a class="button secondary" href=download("context-map-cml") download="">{text(move || t_string!(i18n, assess.cml))}</a>
                        <a class="button secondary" href=download("design-doc") download="">{text(move || t_string!(i18n, assess.design))}</a>
                    </nav>
                    <button class="secondary" on:click=move |_| close()>{text(move || t_string!(i18n, common.close))}</button>
                </header>
                <div class="assess-body">
                    <section class="assess-map" aria-label=text(move || t_string!(i18n, assess.map))>
                        <h3>{text(move || t_string!(i18n, assess.map))}</h3>
                        <p class="muted">{text(move || t_string!(i18n, assess.map_help))}</p>
                        {move || assessment.with(|a| {
                            if a.contexts.is_empty() {
                                return view! { <p class="muted">{text(move || t_string!(i18n, assess.no_contexts))}</p> }.into_any();
                            }
                            let nodes = layout(a.contexts.len());
                            let in_cycle = |i: usize| a.cycles.iter().any(|c| c.contains(&i));
                            let edges = a.relations.iter().map(|r| {
                                let bend = match r.style { Style::Events => 56.0, Style::Calls => 110.0 };
                                let (path, at, anchor) = curve(nodes[r.upstream], nodes[r.downstream], bend);
                                let words: Vec<String> = r.through.iter().map(|id| label(*id)).collect();
                                let all = words.join(", ");
                                let class = format!(
                                    "edge {}{}",
                                    match r.style { Style::Events => "events", Style::Calls => "calls" },
                                    if r.in_cycle { " in-cycle" } else { "" }
                                );
                                view! {
                                    <g class=class>
                                        <title>{all.clone()}</title>
                                        <path d=path marker-end="url(#assess-arrow)" />
                                        <text x=format!("{:.1}", at.x) y=format!("{:.1}", at.y + 4.0) text-anchor=anchor>{short(&all, 32)}</text>
                                    </g>
                                }
                            }).collect_view();
                            let boxes = a.contexts.iter().enumerate().map(|(i, c)| {
                                let n = nodes[i];
                                view! {
                                    <g class="node" class:in-cycle=in_cycle(i)>
                                        <title>{c.name.clone()}</title>
                                        <rect x=format!("{:.1}", n.x - NODE_W / 2.0) y=format!("{:.1}", n.y - NODE_H / 2.0)
                                            width=NODE_W height=NODE_H rx="6" />
                                        <text x=format!("{:.1}", n.x) y=format!("{:.1}", n.y + 5.0) text-anchor="middle">{short(&c.name, 18)}</text>
                                    </g>
                                }
                            }).collect_view();
                            view! {
                                <svg class="context-map" viewBox=format!("0 0 {MAP_W} {MAP_H}") role="img"
                                    aria-label=text(move || t_string!(i18n, assess.map))>
                                    <defs>
                                        <marker id="assess-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
                                            <path d="M0,0 L10,5 L0,10 z" />
                                        </marker>
                                    </defs>
                                    {edges}
                                    {boxes}
                                </svg>
                            }.into_any()
                        })}
                        <p class="assess-cycles">
                            <strong>{text(move || t_string!(i18n, assess.cycles))}": "</strong>
                            {move || assessment.with(|a| {
                                if a.cycles.is_empty() { return t_string!(i18n, assess.none).to_string(); }
                                a.cycles.iter().map(|c| c.iter().map(|i| a.contexts[*i].name.clone()).collect::<Vec<_>>().join(", ")).collect::<Vec<_>>().join("; ")
                            })}
                            " · "
                            <strong>{text(move || t_string!(i18n, assess.sync_chains))}": "</strong>
                            {move || assessment.with(|a| {
                                if a.sync_chains.is_empty() { return t_string!(i18n, assess.none).to_string(); }
                                a.sync_chains.iter().map(|c| c.iter().map(|i| a.contexts[*i].name.clone()).collect::<Vec<_>>().join(" → ")).collect::<Vec<_>>().join("; ")
                            })}
                        </p>
                    </section>
                    <section class="assess-metrics" aria-label=text(move || t_string!(i18n, assess.metrics))>
                        <h3>{text(move || t_string!(i18n, assess.metrics))}</h3>
                        <div class="table-scroll">
                        <table>
                            <thead><tr>
                                <th>{text(move || t_string!(i18n, assess.context))}</th>
                                <th>{text(move || t_string!(i18n, assess.aggregates))}</th>
                                <th>{text(move || t_string!(i18n, assess.commands))}</th>
                                <th>{text(move || t_string!(i18n, assess.events_col))}</th>
                                <th>{text(move || t_string!(i18n, assess.policies))}</th>
                                <th>{text(move || t_string!(i18n, assess.read_models))}</th>
                                <th title=text(move || t_string!(i18n, assess.afferent_help))>{text(move || t_string!(i18n, assess.afferent))}</th>
                                <th title=text(move || t_string!(i18n, assess.efferent_help))>{text(move || t_string!(i18n, assess.efferent))}</th>
                                <th title=text(move || t_string!(i18n, assess.instability_help))>{text(move || t_string!(i18n, assess.instability))}</th>
                                <th title=text(move || t_string!(i18n, assess.fan_out_help))>{text(move || t_string!(i18n, assess.fan_out))}</th>
                                <th>{text(move || t_string!(i18n, assess.published))}</th>
                                <th>{text(move || t_string!(i18n, assess.consumed))}</th>
                                <th>{text(move || t_string!(i18n, assess.owns))}</th>
                                <th>{text(move || t_string!(i18n, assess.hotspots))}</th>
                                <th>{text(move || t_string!(i18n, assess.problems))}</th>
                            </tr></thead>
                            <tbody>
                                {move || assessment.with(|a| a.contexts.iter().map(|c| {
                                    let list = |ids: &[Id]| ids.iter().map(|id| label(*id)).collect::<Vec<_>>().join(", ");
                                    view! {
                                        <tr>
                                            <th scope="row">{c.name.clone()}</th>
                                            <td>{c.counts.aggregates}</td>
                                            <td>{c.counts.commands}</td>
                                            <td>{c.counts.events}</td>
                                            <td>{c.counts.policies}</td>
                                            <td>{c.counts.read_models}</td>
                                            <td>{c.afferent}</td>
                                            <td>{c.efferent}</td>
                                            <td>{c.instability.map_or_else(|| "–".to_string(), |x| format!("{x:.2}"))}</td>
                                            <td>{c.sync_fan_out}</td>
                                            <td title=list(&c.published)>{c.published.len()}</td>
                                            <td title=list(&c.consumed)>{c.consumed.len()}</td>
                                            <td>{list(&c.owns)}</td>
                                            <td title=list(&c.hotspots)>{c.hotspots.len()}</td>
                                            <td>{c.problems.len()}</td>
                                        </tr>
                                    }
                                }).collect_view())}
                            </tbody>
                        </table>
                        </div>
                    </section>
                    <section class="assess-cut" aria-label=text(move || t_string!(i18n, assess.cut))>
                        <h3>{text(move || t_string!(i18n, assess.cut))}</h3>
                        <p class="muted">{text(move || t_string!(i18n, assess.cut_help))}</p>
                        <div class="table-scroll">
                        <table class="scores">
                            <thead><tr>
                                <th></th>
                                <th>{text(move || t_string!(i18n, assess.score_contexts))}</th>
                                <th>{text(move || t_string!(i18n, assess.score_calls))}</th>
                                <th>{text(move || t_string!(i18n, assess.score_shared))}</th>
                                <th>{text(move || t_string!(i18n, assess.score_cycles))}</th>
                                <th>{text(move || t_string!(i18n, assess.score_events))}</th>
                            </tr></thead>
                            <tbody>
                                {move || assessment.with(|a| [(t_string!(i18n, assess.current), a.cut.current, "current"), (t_string!(i18n, assess.suggested), a.cut.suggested, "suggested")].into_iter().map(|(name, s, class)| view! {
                                    <tr class=class>
                                        <th scope="row">{name}</th>
                                        <td>{s.contexts}</td>
                                        <td>{s.sync_calls}</td>
                                        <td>{s.shared_read_models}</td>
                                        <td>{s.cycles}</td>
                                        <td>{s.event_links}</td>
                                    </tr>
                                }).collect_view())}
                            </tbody>
                        </table>
                        </div>
                        <ul class="groups">
                            {move || assessment.with(|a| a.cut.groups.iter().map(|g| {
                                let units = g.units.iter().map(|u| label(a.cut.units[*u].id)).collect::<Vec<_>>().join(", ");
                                let new = g.frame.is_none();
                                view! {
                                    <li>
                                        <strong>{g.name.clone()}</strong>
                                        {new.then(|| view! { " " <span class="badge">{text(move || t_string!(i18n, assess.new_frame))}</span> })}
                                        ": " {units}
                                    </li>
                                }
                            }).collect_view())}
                        </ul>
                        {move || assessment.with(|a| {
                            if a.cut.is_current() {
                                return view! { <p class="cut-current">{text(move || t_string!(i18n, assess.cut_is_current))}</p> }.into_any();
                            }
                            // The board is read once for all the moves.
                            let carried: Vec<_> = editor.with_board(|b| {
                                let model = Semantic::of(b);
                                a.cut.moves.iter().map(|mv| a.cut.carried_summary(&model, *mv)).collect()
                            });
                            let rows = a.cut.moves.iter().zip(carried).map(|(mv, c)| {
                                let mut stickies: Vec<String> = c.shown.iter().map(|id| label(*id)).collect();
                                if c.more > 0 {
                                    stickies.push(fill(t_string!(i18n, assess.more), &[("n", &c.more.to_string())]));
                                }
                                let from: Vec<String> = c.from.iter().map(|f| f.map(label).unwrap_or_else(|| t_string!(i18n, assess.no_frame).to_string())).collect();
                                let row = fill(t_string!(i18n, assess.move_row), &[("stickies", &stickies.join(", ")), ("from", &from.join(", ")), ("to", &a.cut.groups[mv.1].name)]);
                                view! { <li>{row}</li> }
                            }).collect_view();
                            view! {
                                <div class="moves">
                                    <strong>{text(move || t_string!(i18n, assess.moves))}</strong>
                                    <ul>{rows}</ul>
                                </div>
                            }.into_any()
                        })}
                        <div class="cut-actions">
                            <button class="primary apply-cut"
                                title=move || if read_only.get() { t_string!(i18n, assess.apply_read_only) } else { t_string!(i18n, assess.apply_help) }
                                disabled=move || read_only.get() || assessment.with(|a| a.cut.is_current())
                                on:click=apply>{text(move || t_string!(i18n, assess.apply))}</button>
                            <Show when=move || applied.get()>
                                <span class="applied" role="status">{text(move || t_string!(i18n, assess.applied))}</span>
                                <button class="secondary undo-cut" on:click=undo>{text(move || t_string!(i18n, assess.undo))}</button>
                            </Show>
                        </div>
                    </section>
                    <section class="assess-plan" aria-label=text(move || t_string!(i18n, assess.plan))>
                        <h3>{text(move || t_string!(i18n, assess.plan))}</h3>
                        {move || assessment.with(|a| a.plan.monolith.map(|m| {
                            let line = fill(t_string!(i18n, assess.plan_strangler), &[("monolith", &a.plan.parts[m].name)]);
                            view! { <p>{line}</p> }
                        }))}
                        {move || assessment.with(|a| {
                            if a.plan.waves.is_empty() {
                                return view! { <p class="muted">{text(move || t_string!(i18n, assess.no_plan))}</p> }.into_any();
                            }
                            a.plan.waves.iter().enumerate().map(|(w, wave)| {
                                let title = fill(t_string!(i18n, assess.wave), &[("n", &(w + 1).to_string())]);
                                let steps = wave.iter().map(|s| {
                                    let reason = match &s.reason {
                                        Reason::NothingDependsOn => t_string!(i18n, assess.reason_nothing).to_string(),
                                        Reason::EarlierDependOn { parts } => fill(t_string!(i18n, assess.reason_earlier), &[("parts", &names(parts, a))]),
                                        Reason::Cycle { with, earlier } if earlier.is_empty() => fill(t_string!(i18n, assess.reason_cycle), &[("parts", &names(with, a))]),
                                        Reason::Cycle { with, earlier } => fill(t_string!(i18n, assess.reason_cycle_earlier), &[("parts", &names(with, a)), ("earlier", &names(earlier, a))]),
                                        Reason::MonolithDependsOn { earlier } if earlier.is_empty() => t_string!(i18n, assess.reason_monolith).to_string(),
                                        Reason::MonolithDependsOn { earlier } => fill(t_string!(i18n, assess.reason_monolith_earlier), &[("earlier", &names(earlier, a))]),
                                    };
                                    let part = |p: usize| a.plan.parts[p].name.clone();
                                    let risks = s.risks.iter().map(|r| {
                                        let line = match r {
                                            Risk::Cycle { with } => fill(t_string!(i18n, assess.risk_cycle), &[("parts", &names(with, a))]),
                                            Risk::SharedData { read_model, event, from } => fill(t_string!(i18n, assess.risk_shared), &[("read_model", &label(*read_model)), ("event", &label(*event)), ("part", &part(*from))]),
                                            Risk::Reference { aggregate, target, owner } => fill(t_string!(i18n, assess.risk_reference), &[("aggregate", &label(*aggregate)), ("target", &label(*target)), ("part", &part(*owner))]),
                                            Risk::ReferencedBy { aggregate, target, part: p } => fill(t_string!(i18n, assess.risk_referenced), &[("aggregate", &label(*aggregate)), ("target", &label(*target)), ("part", &part(*p))]),
                                            Risk::Calls { by, command, part: p } => fill(t_string!(i18n, assess.risk_calls), &[("by", &label(*by)), ("command", &label(*command)), ("part", &part(*p))]),
                                            Risk::CalledBy { by, command, part: p } => fill(t_string!(i18n, assess.risk_called), &[("by", &label(*by)), ("command", &label(*command)), ("part", &part(*p))]),
                                        };
                                        view! { <li class="risk">{line}</li> }
                                    }).collect_view();
                                    view! {
                                        <li class="step">
                                            <strong>{part(s.part)}</strong>": "{reason}
                                            <ul>{risks}</ul>
                                        </li>
                                    }
                                }).collect_view();
                                view! {
                                    <div class="wave">
                                        <h4>{title}</h4>
                                        <ul>{steps}</ul>
                                    </div>
                                }
                            }).collect_view().into_any()
                        })}
                    </section>
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_sit_on_a_circle_inside_the_map() {
        let nodes = layout(4);
        assert_eq!(nodes.len(), 4);
        for n in &nodes {
            assert!(
                n.x - NODE_W / 2.0 >= 0.0 && n.x + NODE_W / 2.0 <= MAP_W,
                "{n:?}"
            );
            assert!(
                n.y - NODE_H / 2.0 >= 0.0 && n.y + NODE_H / 2.0 <= MAP_H,
                "{n:?}"
            );
        }
        // The first at the top, centred.
        assert!((nodes[0].x - MAP_W / 2.0).abs() < 1e-6);
        assert_eq!(
            layout(1),
            [Node {
                x: MAP_W / 2.0,
                y: MAP_H / 2.0
            }]
        );
    }

    #[test]
    fn the_two_directions_between_two_contexts_do_not_overlap() {
        let (a, b) = (Node { x: 100.0, y: 100.0 }, Node { x: 500.0, y: 100.0 });
        let (_, there, _) = curve(a, b, 56.0);
        let (_, back, _) = curve(b, a, 56.0);
        assert!((there.y - back.y).abs() > 30.0, "{there:?} {back:?}");
    }
}
