//! The Problems panel: the live model check's list (docs/model-rules.md) for everyone on the
//! board, filtered by severity and bounded context. A click on a problem pans to its sticky and
//! selects it; where the fix is clear, a button applies it as one undoable batch.

use leptos::prelude::*;

use crate::editor::Editor;
use crate::i18n::{count, fill, number, t_string, text, use_i18n};
use crate::model::{ElementKind, Id};
use crate::semantic::Semantic;
use crate::semantic::fixes::FixKind;
use crate::semantic::rules::{Problem, Severity};

/// At most this many rows are rendered; the heading says how many there are.
const SHOWN: usize = 300;

/// Which bounded context a problem's sticky belongs to, for the filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Where {
    Context(Id),
    Outside,
}

#[derive(Debug, Clone, PartialEq)]
struct Row {
    problem: Problem,
    place: Where,
    fix: Option<FixKind>,
}

/// The toggle in the board's bar: the count of problems in the worst severity's colour.
#[component]
pub fn ProblemsButton(editor: Editor) -> impl IntoView {
    let i18n = use_i18n();
    let worst = move || {
        if editor.checking.get() {
            return "checking";
        }
        editor.problems.with(|c| {
            c.problems
                .iter()
                .map(|p| p.severity)
                .min()
                .map_or("none", Severity::as_str)
        })
    };
    let total = move || editor.problems.with(|c| c.problems.len());
    view! {
        <button
            class=move || format!("problems-toggle secondary {}", worst())
            aria-pressed=move || editor.problems_open.get().to_string()
            title=text(move || t_string!(i18n, panels.problems_help))
            data-check-ms=move || format!("{:.3}", editor.check_ms())
            on:click=move |_| editor.problems_open.update(|o| *o = !*o)
        >
            <span class="label">{text(move || t_string!(i18n, panels.problems))}" "</span>
            // "…" until the check's code has arrived: a 0 would say the model is fine.
            <span class="count" aria-busy=move || editor.checking.get().to_string()>
                {move || if editor.checking.get() { "…".to_string() } else { number(total(), i18n.get_locale()) }}
            </span>
        </button>
    }
}

#[component]
pub fn ProblemsPanel(editor: Editor, #[prop(into)] read_only: Signal<bool>) -> impl IntoView {
    crate::split::lazily_closable(
        crate::preload!(__preload_problems_panel),
        editor.problems_open,
        move || problems_panel(editor, read_only),
    )
}

/// The list's code, fetched when it first opens (`crate::split`).
#[lazy]
fn problems_panel(editor: Editor, read_only: Signal<bool>) -> AnyView {
    view! { <Loaded editor read_only /> }.into_any()
}

#[component]
fn Loaded(editor: Editor, read_only: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new([true, true, true]);
    let context = RwSignal::new(None::<Where>);
    // Each problem with its context and fix; recomputed when the list changes.
    let rows = Memo::new(move |_| {
        editor.problems.with(|c| {
            let fixes = editor.fixes(&c.problems);
            editor.with_board(|board| {
                let model = Semantic::of(board);
                c.problems
                    .iter()
                    .zip(fixes)
                    .map(|(p, fix)| {
                        let frame = board
                            .element(p.element)
                            .filter(|e| e.kind == ElementKind::BoundedContext)
                            .map(|e| e.id);
                        Row {
                            place: frame
                                .or_else(|| model.context_of(p.element))
                                .map_or(Where::Outside, Where::Context),
                            problem: p.clone(),
                            fix,
                        }
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let contexts = Memo::new(move |_| {
        editor.version.track();
        editor.with_board(|board| {
            Semantic::of(board)
                .contexts()
                .iter()
                .map(|f| (f.id, f.label.clone()))
                .collect::<Vec<_>>()
        })
    });
    let severity_index = |s: Severity| match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    };
    let visible = move || {
        let shown = shown.get();
        let context = context.get();
        rows.with(|rows| {
            let mut visible: Vec<Row> = rows
                .iter()
                .filter(|r| shown[severity_index(r.problem.severity)])
                .filter(|r| context.is_none_or(|c| c == r.place))
                .cloned()
                .collect();
            // Errors first; within a severity, the board's order.
            visible.sort_by_key(|r| r.problem.severity);
            visible
        })
    };
    let tally = move |s: Severity| {
        editor
            .problems
            .with(|c| c.problems.iter().filter(|p| p.severity == s).count())
    };
    let filter = move |s: Severity| {
        let label = move || {
            let (single, many) = match s {
                Severity::Error => (
                    t_string!(i18n, panels.error),
                    t_string!(i18n, panels.errors),
                ),
                Severity::Warning => (
                    t_string!(i18n, panels.warning),
                    t_string!(i18n, panels.warnings),
                ),
                Severity::Info => (t_string!(i18n, panels.infos), t_string!(i18n, panels.infos)),
            };
            count(tally(s), i18n.get_locale(), single, many)
        };
        let i = severity_index(s);
        view! {
            <button class=format!("severity {}", s.as_str())
                aria-pressed=move || shown.with(|v| v[i]).to_string()
                on:click=move |_| shown.update(|v| v[i] = !v[i])>{label}</button>
        }
    };
    let choose_context = move |value: String| {
        context.set(match value.as_str() {
            "" => None,
            "outside" => Some(Where::Outside),
            id => id.parse().ok().map(Where::Context),
        })
    };
    let close = move || editor.problems_open.set(false);
    view! {
        <aside class="problems-panel" role="region" tabindex="-1" aria-label=text(move || t_string!(i18n, panels.problems))
            on:keydown=move |ev| if ev.key() == "Escape" { close() }>
            <header>
                <h2>{text(move || t_string!(i18n, panels.problems))}</h2>
                <button class="close link" title=text(move || t_string!(i18n, common.close)) on:click=move |_| close()>"×"</button>
            </header>
            <div class="filters">
                {filter(Severity::Error)}
                {filter(Severity::Warning)}
                {filter(Severity::Info)}
                <select aria-label=text(move || t_string!(i18n, panels.context_filter))
                    on:change=move |ev| choose_context(event_target_value(&ev))>
                    <option value="">{text(move || t_string!(i18n, panels.all_contexts))}</option>
                    {move || contexts.get().into_iter().map(|(id, label)| {
                        let label = if label.trim().is_empty() { t_string!(i18n, panels.unnamed).to_string() } else { label };
                        view! { <option value=id.to_string()>{label}</option> }
                    }).collect_view()}
                    <option value="outside">{text(move || t_string!(i18n, panels.outside_contexts))}</option>
                </select>
            </div>
            {move || {
                let rows = visible();
                let total = rows.len();
                let more = total.saturating_sub(SHOWN);
                view! {
                    <p class="muted summary">{move || if total == 0 {
                        t_string!(i18n, panels.no_problems).to_string()
                    } else {
                        count(total, i18n.get_locale(), t_string!(i18n, panels.problems_single), t_string!(i18n, panels.problems_many))
                    }}</p>
                    <ul>
                        {rows.into_iter().take(SHOWN).map(|row| view! { <ProblemRow editor row read_only /> }).collect_view()}
                    </ul>
                    {(more > 0).then(|| view! {
                        <p class="muted">{fill(t_string!(i18n, panels.more_problems), &[("n", &number(more, i18n.get_locale()).to_string())])}</p>
                    })}
                }
            }}
            <p class="muted checked">{move || {
                fill(t_string!(i18n, panels.checked_in), &[("ms", &format!("{:.1}", editor.check_ms()))])
            }}</p>
        </aside>
    }
}

#[component]
fn ProblemRow(editor: Editor, row: Row, read_only: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let Row { problem, fix, .. } = row;
    let element = problem.element;
    // In the UI's language, following a switch while the panel is open.
    let fix_label = fix.map(|kind| {
        move || match &kind {
            FixKind::Connect { event } => {
                fill(t_string!(i18n, panels.fix_connect), &[("event", event)])
            }
            FixKind::AddKey => t_string!(i18n, panels.fix_key).to_string(),
            FixKind::MoveInto { context } => {
                fill(t_string!(i18n, panels.fix_move), &[("context", context)])
            }
            FixKind::RemoveArrow => t_string!(i18n, panels.fix_arrow).to_string(),
            FixKind::UsePath { path } => fill(t_string!(i18n, panels.fix_path), &[("path", path)]),
        }
    });
    let target = problem.clone();
    let (severity, rule) = (problem.severity, problem.rule);
    view! {
        <li class=format!("problem-row {}", severity.as_str()) data-rule=rule.id() data-element=element.to_string()>
            <span class="rule">{rule.id()}</span>
            <button class="link problem" title=text(move || t_string!(i18n, panels.show_sticky))
                on:click=move |_| editor.focus(element)>{move || editor.with_board(|b| problem.message_in(b, crate::i18n::language(i18n.get_locale())))}</button>
            {fix_label.map(|label| view! {
                <button class="fix" class:hidden=move || read_only.get()
                    on:click=move |ev| {
                        // The row goes away with its problem: the keyboard stays in the panel
                        // instead of landing on the next row's fix (one Enter, one fix).
                        if let Some(panel) = event_target::<web_sys::HtmlElement>(&ev)
                            .closest(".problems-panel")
                            .ok()
                            .flatten()
                            .and_then(|p| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(p).ok())
                        {
                            let _ = panel.focus();
                        }
                        editor.apply_fix(&target);
                    }>{label}</button>
            })}
        </li>
    }
}
