//! The Export panel: pick a target, read the problem list (click one to find its sticky), browse
//! the generated files with syntax colouring, download the ZIP. What it shows comes from the
//! server (`export_preview`), the same code the download uses.

/// Syntax colouring of generated files.
pub mod highlight;

use leptos::prelude::*;

use crate::api::{ExportPreview, ExportTarget, preview_export};
use crate::editor::Editor;
use crate::i18n::{fill, number, t_string, text, use_i18n};

/// One row of the file tree: a folder or a file (with its index in the preview's files).
#[derive(Clone, Debug, PartialEq)]
pub enum TreeRow {
    Folder {
        name: String,
        depth: usize,
    },
    File {
        name: String,
        depth: usize,
        index: usize,
    },
}

/// The sorted paths as an indented tree: each folder once, before its contents.
pub fn tree(paths: &[&str]) -> Vec<TreeRow> {
    let mut rows = Vec::new();
    let mut open: Vec<&str> = Vec::new();
    for (index, path) in paths.iter().enumerate() {
        let parts: Vec<&str> = path.split('/').collect();
        let (dirs, name) = parts.split_at(parts.len() - 1);
        let shared = open.iter().zip(dirs).take_while(|(a, b)| a == b).count();
        open.truncate(shared);
        for (depth, dir) in dirs.iter().enumerate().skip(shared) {
            rows.push(TreeRow::Folder {
                name: format!("{dir}/"),
                depth,
            });
            open.push(dir);
        }
        rows.push(TreeRow::File {
            name: name[0].to_string(),
            depth: dirs.len(),
            index,
        });
    }
    rows
}

#[component]
pub fn ExportPanel(editor: Editor, open: RwSignal<bool>) -> impl IntoView {
    crate::split::lazily_closable(crate::preload!(__preload_export_panel), open, move || {
        export_panel(editor, open)
    })
}

/// The panel's code, fetched when it first opens (`crate::split`).
#[lazy]
fn export_panel(editor: Editor, open: RwSignal<bool>) -> AnyView {
    view! { <Loaded editor open /> }.into_any()
}

#[component]
fn Loaded(editor: Editor, open: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    // The target chosen; empty until the user chooses: the server's default.
    let target = RwSignal::new(String::new());
    // The server's targets, from its last answer (kept while the next preview loads).
    let targets = RwSignal::new(Vec::<ExportTarget>::new());
    // Code identifiers in the board's own script (`주문됨`) instead of transliterated.
    let native = RwSignal::new(false);
    let identifiers = move || if native.get() { "native" } else { "ascii" };
    let preview = RwSignal::new(None::<Result<ExportPreview, String>>);
    let chosen = RwSignal::new(None::<usize>);
    let (id, key) = (editor.board_id(), editor.board_key());
    {
        let (id, key) = (id.clone(), key.clone());
        Effect::new(move |_| {
            let (target, identifiers) = (target.get(), identifiers().to_string());
            let (id, key) = (id.clone(), key.clone());
            preview.set(None);
            leptos::task::spawn_local(async move {
                let result = preview_export(id, key, target, identifiers)
                    .await
                    .map_err(|e| e.to_string());
                // Start on the first source file, else the first file.
                let first = result.as_ref().ok().map(|p| {
                    p.files
                        .iter()
                        .position(|(path, _)| path.ends_with("/src/main.rs"))
                        .unwrap_or(0)
                });
                chosen.set(first);
                if let Ok(p) = &result {
                    targets.set(p.targets.clone());
                }
                preview.set(Some(result));
            });
        });
    }
    // What the download and the select show: the choice, else the target the server rendered.
    let shown_target = move || {
        let chosen = target.get();
        if chosen.is_empty() {
            preview.with(|p| match p {
                Some(Ok(p)) => p.target.clone(),
                _ => String::new(),
            })
        } else {
            chosen
        }
    };
    let generates_code = move || {
        let shown = shown_target();
        targets.with(|all| all.iter().any(|t| t.id == shown && t.code))
    };
    let download = move || {
        format!(
            "/api/boards/{id}/export?target={}&identifiers={}&key={key}",
            shown_target(),
            identifiers()
        )
    };
    let file_name = move || {
        preview.with(|p| match p {
            Some(Ok(p)) => p.file_name.clone(),
            _ => String::new(),
        })
    };
    let close = move || open.set(false);
    // Focus goes into the panel, so Escape closes it without a click first.
    let panel = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = panel.get() {
            let _ = el.focus();
        }
    });
    let find = move |element| {
        open.set(false);
        editor.focus(element);
    };
    view! {
        <div class="modal-backdrop" on:click=move |_| close()
            on:keydown=move |ev| if ev.key() == "Escape" { close() }>
            <div class="modal export-panel" role="dialog" aria-label=text(move || t_string!(i18n, panels.export)) tabindex="-1" node_ref=panel
                on:click=|ev| ev.stop_propagation()>
                <header class="export-head">
                    <h2>{text(move || t_string!(i18n, panels.export))}</h2>
                    <label class="export-target">
                        {text(move || t_string!(i18n, panels.target))}
                        <select aria-label=text(move || t_string!(i18n, panels.export_target))
                            on:change=move |ev| target.set(event_target_value(&ev))
                            prop:value=shown_target>
                            <For each=move || targets.get() key=|t| t.id.clone() let:t>
                                <option value=t.id.clone()>{t.title.clone()}</option>
                            </For>
                        </select>
                    </label>
                    <label class="export-native" title=text(move || t_string!(i18n, panels.native_help))
                        class:hidden=move || !generates_code()>
                        <input type="checkbox" prop:checked=move || native.get()
                            on:change=move |ev| native.set(event_target_checked(&ev)) />
                        {text(move || t_string!(i18n, panels.native))}
                    </label>
                    <a class="button primary download" href=download download=file_name
                        aria-disabled=move || preview.with(|p| !matches!(p, Some(Ok(_)))).to_string()>
                        {text(move || t_string!(i18n, panels.download))}
                    </a>
                    <button class="secondary" on:click=move |_| close()>{text(move || t_string!(i18n, common.close))}</button>
                </header>
                {move || match preview.get() {
                    None => view! { <p class="muted export-loading">{text(move || t_string!(i18n, panels.generating))}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                    Some(Ok(p)) => view! { <ExportBody editor preview=p chosen find /> }.into_any(),
                }}
            </div>
        </div>
    }
}

#[component]
fn ExportBody(
    editor: Editor,
    preview: ExportPreview,
    chosen: RwSignal<Option<usize>>,
    find: impl Fn(crate::model::Id) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let paths: Vec<&str> = preview.files.iter().map(|(p, _)| p.as_str()).collect();
    let rows = tree(&paths);
    let files = StoredValue::new(preview.files.clone());
    let problems = preview.problems.clone();
    let messages = preview.messages.clone();
    let count = problems.len();
    let shown = move || {
        chosen
            .get()
            .and_then(|i| files.with_value(|f| f.get(i).cloned()))
    };
    view! {
        <div class="export-body">
            <aside class="export-side">
                <section class="export-problems" aria-label=text(move || t_string!(i18n, panels.problems))>
                    <h3>{move || {
                        if count == 0 {
                            t_string!(i18n, panels.no_problems).to_string()
                        } else {
                            crate::i18n::count(
                                count,
                                i18n.get_locale(),
                                t_string!(i18n, panels.problems_single),
                                t_string!(i18n, panels.problems_many),
                            )
                        }
                    }}</h3>
                    <ul>
                        {problems.into_iter().zip(messages).map(|(p, english)| {
                            // In the UI's language, from this page's copy of the board (the
                            // server's words are English).
                            let message = match crate::i18n::language(i18n.get_locale()) {
                                crate::semantic::rules::Language::English => english,
                                korean => editor.with_board(|b| p.message_in(b, korean)),
                            };
                            let element = p.element;
                            view! {
                                <li class=format!("problem-row {}", p.severity.as_str())>
                                    <span class="rule">{p.rule.id()}</span>
                                    <button class="link problem" title=text(move || t_string!(i18n, panels.show_sticky))
                                        on:click=move |_| find(element)>{message}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
                <nav class="export-tree" aria-label=text(move || t_string!(i18n, panels.files_label))>
                    <h3>{move || {
                        let n = number(files.with_value(Vec::len), i18n.get_locale());
                        fill(t_string!(i18n, panels.files), &[("n", &n.to_string())])
                    }}</h3>
                    <ul>
                        {rows.into_iter().map(|row| match row {
                            TreeRow::Folder { name, depth } => view! {
                                <li class="folder" style=format!("--depth:{depth}")>{name}</li>
                            }.into_any(),
                            TreeRow::File { name, depth, index } => view! {
                                <li style=format!("--depth:{depth}")>
                                    <button class="file"
                                        class:chosen=move || chosen.get() == Some(index)
                                        data-path=files.with_value(|f| f[index].0.clone())
                                        on:click=move |_| chosen.set(Some(index))>{name}</button>
                                </li>
                            }.into_any(),
                        }).collect_view()}
                    </ul>
                </nav>
            </aside>
            <section class="export-file" aria-label=text(move || t_string!(i18n, panels.file))>
                {move || shown().map(|(path, content)| {
                    let spans = highlight::highlight(&path, &content);
                    view! {
                        <h3 class="export-path">{path}</h3>
                        <pre class="code" tabindex="0" aria-label=text(move || t_string!(i18n, panels.generated_file))><code>
                            {spans.into_iter().map(|(class, text)| {
                                if class.is_empty() {
                                    text.into_any()
                                } else {
                                    view! { <span class=format!("tok-{class}")>{text}</span> }.into_any()
                                }
                            }).collect_view()}
                        </code></pre>
                    }
                })}
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_a_tree_with_each_folder_once() {
        let rows = tree(&[
            "Cargo.toml",
            "deploy/k8s/a.yaml",
            "deploy/k8s/b.yaml",
            "deploy/nginx.conf",
            "services/a/src/main.rs",
        ]);
        let text: Vec<String> = rows
            .iter()
            .map(|r| match r {
                TreeRow::Folder { name, depth } => format!("{}{name}", "  ".repeat(*depth)),
                TreeRow::File { name, depth, index } => {
                    format!("{}{name} #{index}", "  ".repeat(*depth))
                }
            })
            .collect();
        assert_eq!(
            text,
            [
                "Cargo.toml #0",
                "deploy/",
                "  k8s/",
                "    a.yaml #1",
                "    b.yaml #2",
                "  nginx.conf #3",
                "services/",
                "  a/",
                "    src/",
                "      main.rs #4",
            ]
        );
    }
}
