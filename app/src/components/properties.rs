use leptos::prelude::*;

use crate::editor::Editor;
use crate::i18n::{fill, kind_name, t_string, text, use_i18n};
use crate::model::{Element, ElementKind, Field, FieldType, HttpMethod, Id, Op, Patch};

/// The types offered for fields; `enum(A, B)`, `List<T>` and value object names can be typed.
const TYPES: [&str; 9] = [
    "String", "Integer", "Long", "Double", "Boolean", "Date", "DateTime", "UUID", "Money",
];

/// Whether an input event comes from a field people type in (not a menu or a checkbox, which
/// commit at once).
fn is_text_field(ev: &leptos::ev::Event) -> bool {
    use wasm_bindgen::JsCast;
    ev.target().is_some_and(|t| {
        t.dyn_ref::<web_sys::HtmlTextAreaElement>().is_some()
            || t.dyn_ref::<web_sys::HtmlInputElement>()
                .is_some_and(|i| matches!(i.type_().as_str(), "text" | "search" | ""))
    })
}

/// How long typing must pause before a description is saved.
const TYPING_PAUSE: std::time::Duration = std::time::Duration::from_millis(600);

/// Saves a description unless the board already holds it; the bar stops saying "Typing…".
fn save_description(editor: Editor, id: Id, text: String) {
    let changed = editor
        .element(id)
        .is_some_and(|e| e.with_untracked(|e| e.props.description != text));
    if changed {
        set(
            editor,
            id,
            Patch {
                description: Some(text),
                ..Patch::default()
            },
        );
    }
    editor.drafting.set(false);
}

/// Commits one property change of element `id`.
fn set(editor: Editor, id: Id, patch: Patch) {
    editor.commit(vec![Op::update(id, patch)]);
}

/// Properties of the one selected element: description, typed fields, a command's HTTP route,
/// and what a policy or read model is connected to.
#[component]
pub fn Properties(editor: Editor, #[prop(into)] read_only: Signal<bool>) -> impl IntoView {
    let selected = move || match editor
        .selection
        .with(|s| s.iter().copied().collect::<Vec<_>>())
        .as_slice()
    {
        [id] => editor.element(*id).map(|e| (*id, e)),
        _ => None,
    };
    move || {
        selected().map(|(id, element)| {
            crate::split::lazily(crate::preload!(__preload_properties_panel), move || {
                properties_panel(editor, id, element, read_only)
            })
        })
    }
}

/// The panel's code, fetched when an element is first selected (`crate::split`).
#[lazy]
fn properties_panel(
    editor: Editor,
    id: Id,
    element: RwSignal<Element>,
    read_only: Signal<bool>,
) -> AnyView {
    let i18n = use_i18n();
    let kind = element.with_untracked(|e| e.kind);
    // Bumped by every keystroke: a pending save runs only if nothing was typed since.
    let pause = StoredValue::new(0u64);
    view! {
        // Typing in a field is not saved until the field commits (change, on blur).
        <aside
            class="properties"
            aria-label=text(move || t_string!(i18n, panels.properties))
            on:input=move |ev| editor.drafting.set(is_text_field(&ev))
            on:change=move |_| editor.drafting.set(false)
            on:focusout=move |_| editor.drafting.set(false)
        >
            <h2>{move || kind_name(kind, i18n.get_locale())}</h2>
            <label>{text(move || t_string!(i18n, panels.description))}
                <textarea
                    prop:value=move || element.with(|e| e.props.description.clone())
                    disabled=read_only
                    // Saved as you type (after a pause), and at once when you leave it.
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        pause.update_value(|n| *n += 1);
                        let mine = pause.get_value();
                        set_timeout(
                            move || {
                                if pause.try_get_value() == Some(mine) {
                                    save_description(editor, id, text);
                                }
                            },
                            TYPING_PAUSE,
                        );
                    }
                    on:change=move |ev| {
                        pause.update_value(|n| *n += 1);
                        save_description(editor, id, event_target_value(&ev));
                    }
                ></textarea>
            </label>
            {(kind == ElementKind::BoundedContext).then(|| view! {
                <button
                    class="fit-frame secondary"
                    disabled=read_only
                    title=text(move || t_string!(i18n, panels.fit_contents_help))
                    on:click=move |_| {
                        editor.fit_frame(id);
                    }
                >{text(move || t_string!(i18n, panels.fit_contents))}</button>
            })}
            {(kind == ElementKind::Command).then(|| view! { <HttpRoute editor id read_only /> })}
            {kind.has_fields().then(|| view! { <Fields editor id read_only /> })}
            {matches!(kind, ElementKind::Policy | ElementKind::ReadModel).then(|| view! { <Links editor id kind /> })}
            {matches!(kind, ElementKind::Policy | ElementKind::ReadModel).then(|| view! { <Mapping editor id read_only /> })}
            {matches!(kind, ElementKind::Command | ElementKind::Policy).then(|| view! { <Examples editor id read_only /> })}
        </aside>
    }
    .into_any()
}

#[component]
fn HttpRoute(editor: Editor, id: Id, read_only: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let element = editor.element(id);
    let method = move || {
        element
            .and_then(|e| e.with(|e| e.props.http_method))
            .map(HttpMethod::as_str)
            .unwrap_or("")
    };
    let path = move || {
        element
            .and_then(|e| e.with(|e| e.props.http_path.clone()))
            .unwrap_or_default()
    };
    view! {
        <div class="http-route">
            <label>{text(move || t_string!(i18n, panels.http_method))}
                <select disabled=read_only prop:value=method on:change=move |ev| {
                    let value = event_target_value(&ev);
                    let method = serde_json::from_value::<HttpMethod>(serde_json::Value::String(value)).ok();
                    set(editor, id, Patch { http_method: Some(method), ..Patch::default() });
                }>
                    <option value="">"—"</option>
                    {["POST", "PUT", "PATCH", "DELETE", "GET"].map(|m| view! { <option value=m>{m}</option> }).collect_view()}
                </select>
            </label>
            <label>{text(move || t_string!(i18n, panels.path))}
                <input disabled=read_only placeholder="/orders/{id}/cancel" prop:value=path on:change=move |ev| {
                    let value = event_target_value(&ev);
                    let path = (!value.trim().is_empty()).then(|| value.trim().to_string());
                    set(editor, id, Patch { http_path: Some(path), ..Patch::default() });
                } />
            </label>
        </div>
    }
}

#[component]
fn Fields(editor: Editor, id: Id, read_only: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let element = editor.element(id);
    let fields = move || {
        element
            .map(|e| e.with(|e| e.props.fields.clone()))
            .unwrap_or_default()
    };
    // Aggregates and read models mark their key.
    let keyed = element.is_some_and(|e| {
        e.with_untracked(|e| matches!(e.kind, ElementKind::Aggregate | ElementKind::ReadModel))
    });
    let is_aggregate =
        element.is_some_and(|e| e.with_untracked(|e| e.kind == ElementKind::Aggregate));
    let set_fields = move |next: Vec<Field>| {
        set(
            editor,
            id,
            Patch {
                fields: Some(next),
                ..Patch::default()
            },
        );
    };
    let error = RwSignal::new(None::<String>);
    view! {
        <div class="fields">
            <h3>{move || if is_aggregate { t_string!(i18n, panels.attributes) } else { t_string!(i18n, panels.fields) }}</h3>
            <datalist id="field-types">{TYPES.map(|t| view! { <option value=t /> }).collect_view()}</datalist>
            <table>
                <tbody>
                    {move || fields().into_iter().enumerate().map(|(i, f)| {
                        let name_change = move |ev| {
                            let mut next = fields();
                            next[i].name = event_target_value(&ev).trim().to_string();
                            set_fields(next);
                        };
                        let type_change = move |ev| {
                            match event_target_value(&ev).parse::<FieldType>() {
                                Ok(ty) => {
                                    error.set(None);
                                    let mut next = fields();
                                    next[i].ty = ty;
                                    set_fields(next);
                                }
                                Err(e) => error.set(Some(e)),
                            }
                        };
                        view! {
                            <tr>
                                <td><input aria-label=text(move || t_string!(i18n, panels.field_name)) disabled=read_only prop:value=f.name.clone() on:change=name_change /></td>
                                <td><input aria-label=text(move || t_string!(i18n, panels.field_type)) list="field-types" disabled=read_only prop:value=f.ty.to_string() on:change=type_change /></td>
                                {keyed.then(|| view! {
                                    <td><label class="key"><input type="checkbox" disabled=read_only prop:checked=f.key on:change=move |ev| {
                                        let mut next = fields();
                                        next[i].key = event_target_checked(&ev);
                                        set_fields(next);
                                    } />{text(move || t_string!(i18n, panels.key))}</label></td>
                                })}
                                <td><button class="remove" title=text(move || t_string!(i18n, panels.remove_field)) disabled=read_only on:click=move |_| {
                                    let mut next = fields();
                                    next.remove(i);
                                    set_fields(next);
                                }>"×"</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <button class="add-field" disabled=read_only on:click=move |_| {
                let mut next = fields();
                let name = (1..).map(|n| format!("field{n}")).find(|n| next.iter().all(|f| &f.name != n)).unwrap_or_default();
                next.push(Field { name, ty: FieldType::String, key: false });
                set_fields(next);
            }>{text(move || t_string!(i18n, panels.add_field))}</button>
        </div>
    }
}

/// "When event … then command …" for a policy; the source events of a read model.
#[component]
fn Links(editor: Editor, id: Id, kind: ElementKind) -> impl IntoView {
    let i18n = use_i18n();
    let names = move |incoming: bool, want: ElementKind| {
        editor.version.track();
        editor.with_board(|b| {
            b.connections()
                .filter_map(|c| match incoming {
                    true if c.to == id => b.element(c.from),
                    false if c.from == id => b.element(c.to),
                    _ => None,
                })
                .filter(|e| e.kind == want)
                .map(|e| {
                    if e.label.is_empty() {
                        t_string!(i18n, panels.unnamed).to_string()
                    } else {
                        e.label.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let or_none = |s: String| if s.is_empty() { "—".to_string() } else { s };
    view! {
        <div class="links">
            {match kind {
                ElementKind::Policy => view! {
                    <p><b>{text(move || t_string!(i18n, panels.when))}</b>{move || or_none(names(true, ElementKind::DomainEvent))}</p>
                    <p><b>{text(move || t_string!(i18n, panels.then))}</b>{move || or_none(names(false, ElementKind::Command))}</p>
                }.into_any(),
                _ => view! {
                    <p><b>{text(move || t_string!(i18n, panels.updated_by))}</b>{move || or_none(names(true, ElementKind::DomainEvent))}</p>
                }.into_any(),
            }}
        </div>
    }
}

/// A command's or a policy's examples, each written as Given / When / Then lines
/// (`model::example::text`); saved when the text area is left, refused with the line that is
/// wrong (nothing is stored then).
#[component]
fn Examples(editor: Editor, id: Id, read_only: Signal<bool>) -> impl IntoView {
    use crate::model::example::text as gherkin;
    let i18n = use_i18n();
    let Some(element) = editor.element(id) else {
        return ().into_any();
    };
    let examples = Memo::new(move |_| element.with(|e| e.props.examples.clone()));
    // The example being written, not stored yet; the error of the example at an index (the
    // new one at `usize::MAX`).
    let draft = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<(usize, String)>);
    let save = move |index: Option<usize>, written: String| {
        let mut all = examples.get_untracked();
        if written.trim().is_empty() {
            match index {
                Some(i) if i < all.len() => {
                    all.remove(i);
                }
                _ => {
                    draft.set(None);
                    error.set(None);
                    return;
                }
            }
        } else {
            let owner = element.get_untracked();
            match editor.with_board(|b| gherkin::parse(&written, &owner, b)) {
                Err(why) => {
                    error.set(Some((index.unwrap_or(usize::MAX), why)));
                    return;
                }
                Ok(example) => match index {
                    Some(i) if i < all.len() => {
                        if all[i] == example {
                            error.set(None);
                            return;
                        }
                        all[i] = example;
                    }
                    _ => all.push(example),
                },
            }
        }
        // What the board would refuse, said here beside the text rather than only in the bar.
        let owner = element.get_untracked();
        if let Err(why) =
            editor.with_board(|b| crate::model::check_references(&owner, &all, |id| b.element(id)))
        {
            error.set(Some((index.unwrap_or(usize::MAX), why.to_string())));
            return;
        }
        if editor.commit(vec![Op::SetExamples { id, examples: all }]) {
            error.set(None);
            if index.is_none() {
                draft.set(None);
            }
        } else {
            error.set(Some((
                index.unwrap_or(usize::MAX),
                t_string!(i18n, panels.example_refused).to_string(),
            )));
        }
    };
    let error_at = move |i: usize| {
        error.with(|e| {
            e.as_ref()
                .filter(|(at, _)| *at == i)
                .map(|(_, why)| why.clone())
        })
    };
    let rows = |written: &str| written.lines().count().clamp(3, 12);
    view! {
        <h3>{text(move || t_string!(i18n, panels.examples))}</h3>
        <p class="muted hint">{text(move || t_string!(i18n, panels.examples_help))}</p>
        {move || {
            let written: Vec<String> = examples.with(|all| {
                editor.with_board(|b| all.iter().map(|e| gherkin::to_text(e, b)).collect())
            });
            written.into_iter().enumerate().map(|(i, written)| view! {
                <div class="example">
                    <textarea
                        aria-label=move || fill(t_string!(i18n, panels.example_n), &[("n", &(i + 1).to_string())])
                        rows=rows(&written)
                        spellcheck="false"
                        disabled=read_only
                        prop:value=written.clone()
                        on:change=move |ev| save(Some(i), event_target_value(&ev))
                    ></textarea>
                    {move || error_at(i).map(|why| view! { <p class="error" role="alert">{why}</p> })}
                </div>
            }).collect_view()
        }}
        {move || draft.get().map(|written| view! {
            <div class="example new">
                <textarea
                    aria-label=text(move || t_string!(i18n, panels.new_example))
                    rows=rows(&written)
                    spellcheck="false"
                    placeholder=text(move || t_string!(i18n, panels.example_placeholder))
                    prop:value=written
                    on:input=move |ev| draft.set(Some(event_target_value(&ev)))
                    on:change=move |ev| save(None, event_target_value(&ev))
                ></textarea>
                {move || error_at(usize::MAX).map(|why| view! { <p class="error" role="alert">{why}</p> })}
            </div>
        })}
        <Show when=move || !read_only.get() && draft.with(Option::is_none)>
            <button class="secondary add-example" on:click=move |_| draft.set(Some(String::new()))>
                {text(move || t_string!(i18n, panels.add_example))}
            </button>
        </Show>
    }
    .into_any()
}

/// One field to fill in the Mapping section: what fills it now and what could.
#[derive(Clone, PartialEq)]
struct MappingRow {
    event: Id,
    command: Option<Id>,
    field: String,
    /// `field (which Payment)` for the key of the instance a command acts on.
    label: String,
    /// The option chosen: `""` (by name) or an encoded [`Source`](crate::model::Source).
    chosen: String,
    /// What "by name" gives: a field, the key, or nothing.
    by_name: String,
    /// Encoded source and its words, for every choice the event offers.
    options: Vec<(String, String)>,
    filled: bool,
    /// A key (R30, a warning when unfilled).
    key: bool,
}

/// `field:total`, `key`, `lookup:orderId`: a source as a `<select>` value.
fn encode(source: &crate::model::Source) -> String {
    use crate::model::Source;
    match source {
        Source::Field(name) => format!("field:{name}"),
        Source::Key => "key".into(),
        Source::Lookup(name) => format!("lookup:{name}"),
    }
}

fn decode(value: &str) -> Option<crate::model::Source> {
    use crate::model::Source;
    match value.split_once(':') {
        Some(("field", name)) => Some(Source::Field(name.into())),
        Some(("lookup", name)) => Some(Source::Lookup(name.into())),
        _ if value == "key" => Some(Source::Key),
        _ => None,
    }
}

/// A policy's or a read model's field mapping: per source event (and issued command), which
/// field of the event fills each field. "By name" is the default (`semantic::fills`); a choice
/// is stored with `set_mapping` and undone like any edit.
#[component]
fn Mapping(editor: Editor, id: Id, read_only: Signal<bool>) -> impl IntoView {
    use crate::model::{Mapped, Source};
    use crate::semantic::Semantic;
    let i18n = use_i18n();
    let groups = Memo::new(move |_| {
        editor.version.track();
        editor.with_board(|b| {
            let model = Semantic::of(b);
            let Some(owner) = b.element(id) else {
                return Vec::new();
            };
            let words =
                |source: &Source,
                 event: &crate::model::Element,
                 acts_on: Option<&crate::model::Element>| match source {
                    Source::Field(name) => name.clone(),
                    Source::Key => fill(
                        t_string!(i18n, panels.mapping_key),
                        &[(
                            "aggregate",
                            &model
                                .emitter(event)
                                .map(|a| a.label.clone())
                                .unwrap_or_default(),
                        )],
                    ),
                    Source::Lookup(name) => fill(
                        t_string!(i18n, panels.mapping_lookup),
                        &[
                            (
                                "aggregate",
                                &acts_on.map(|a| a.label.clone()).unwrap_or_default(),
                            ),
                            ("field", name),
                        ],
                    ),
                };
            let mut groups: Vec<(String, Vec<MappingRow>)> = Vec::new();
            let fills = model.fills(owner);
            // Marked unfilled as the model check counts it (`Fill::is_unfilled`, R29, R30).
            for f in fills.iter().cloned() {
                let title = match f.command {
                    Some(c) => format!("{} → {}", f.event.label, c.label),
                    None => f.event.label.clone(),
                };
                let mut options: Vec<(String, String)> = f
                    .event
                    .props
                    .fields
                    .iter()
                    .map(|g| (encode(&Source::Field(g.name.clone())), g.name.clone()))
                    .collect();
                if model
                    .emitter(f.event)
                    .is_some_and(|a| a.props.fields.iter().any(|k| k.key))
                {
                    options.push((
                        encode(&Source::Key),
                        words(&Source::Key, f.event, f.acts_on),
                    ));
                }
                if let Some(aggregate) = f.acts_on {
                    for g in aggregate.props.fields.iter().filter(|g| !g.key) {
                        if f.event.props.fields.iter().any(|e| e.name == g.name) {
                            let lookup = Source::Lookup(g.name.clone());
                            options.push((encode(&lookup), words(&lookup, f.event, f.acts_on)));
                        }
                    }
                }
                let by_name = if f.explicit {
                    model.by_name(f.event, f.field, f.acts_on)
                } else {
                    f.from.clone()
                };
                let row = MappingRow {
                    event: f.event.id,
                    command: f.command.map(|c| c.id),
                    field: f.field.to_string(),
                    label: match f.acts_on {
                        Some(a) => fill(
                            t_string!(i18n, panels.mapping_which),
                            &[("field", f.field), ("aggregate", &a.label)],
                        ),
                        None => f.field.to_string(),
                    },
                    chosen: if f.explicit {
                        f.from.as_ref().map(encode).unwrap_or_default()
                    } else {
                        String::new()
                    },
                    by_name: fill(
                        t_string!(i18n, panels.mapping_by_name),
                        &[(
                            "source",
                            &by_name
                                .map(|s| words(&s, f.event, f.acts_on))
                                .unwrap_or_else(|| {
                                    t_string!(i18n, panels.mapping_nothing).to_string()
                                }),
                        )],
                    ),
                    options,
                    filled: !f.is_unfilled(&fills),
                    key: f.key,
                };
                match groups.last_mut() {
                    Some((t, rows)) if *t == title => rows.push(row),
                    _ => groups.push((title, vec![row])),
                }
            }
            groups
        })
    });
    let choose = move |row: &MappingRow, value: String| {
        let mut mapping = editor
            .element(id)
            .map(|e| e.with_untracked(|e| e.props.mapping.clone()))
            .unwrap_or_default();
        mapping.retain(|m| {
            !(m.event == row.event && m.command == row.command && m.field == row.field)
        });
        if let Some(from) = decode(&value) {
            mapping.push(Mapped {
                event: row.event,
                command: row.command,
                field: row.field.clone(),
                from,
            });
        }
        editor.commit(vec![Op::SetMapping { id, mapping }]);
    };
    view! {
        <Show when=move || groups.with(|g| !g.is_empty())>
            <h3>{text(move || t_string!(i18n, panels.mapping))}</h3>
            <p class="muted hint">{text(move || t_string!(i18n, panels.mapping_help))}</p>
            {move || groups.get().into_iter().map(|(title, rows)| view! {
                <table class="mapping">
                    <caption>{title}</caption>
                    <tbody>
                        {rows.into_iter().map(|row| {
                            let label = row.label.clone();
                            let chosen = row.chosen.clone();
                            let class = match (row.filled, row.key) {
                                (true, _) => "",
                                (false, false) => "unfilled",
                                (false, true) => "unfilled key",
                            };
                            let options = row.options.clone();
                            let by_name = row.by_name.clone();
                            let row = StoredValue::new(row);
                            view! {
                                <tr class=class>
                                    <th scope="row">{label.clone()}</th>
                                    <td>"←"</td>
                                    <td>
                                        <select
                                            aria-label=label
                                            disabled=read_only
                                            prop:value=chosen.clone()
                                            on:change=move |ev| choose(&row.get_value(), event_target_value(&ev))
                                        >
                                            <option value="" selected=chosen.is_empty()>{by_name}</option>
                                            {options.into_iter().map(|(value, words)| {
                                                let selected = value == chosen;
                                                view! { <option value=value selected=selected>{words}</option> }
                                            }).collect_view()}
                                        </select>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }).collect_view()}
        </Show>
    }
}
