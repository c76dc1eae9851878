use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::recent::{self, RecentBoard};
use crate::api::{OpenBoard, load_board};
use crate::components::{
    AssessPanel, Canvas, ExportPanel, Minimap, Palette, ProblemsButton, ProblemsPanel, Properties,
    Search, Toolbar,
};
use crate::editor::Editor;
use crate::i18n::{LanguageSwitch, fill, t_string, text, use_i18n};
use crate::model::Board;
use crate::use_hydrated;

/// The display name and colour this browser uses on boards.
mod identity {
    use crate::editor::Identity;

    #[cfg(feature = "hydrate")]
    const NAME_KEY: &str = "squall.name";
    #[cfg(feature = "hydrate")]
    const COLOUR_KEY: &str = "squall.colour";
    /// Pointer colours, distinct from the sticky colours.
    const COLOURS: [&str; 8] = [
        "#e11d48", "#2563eb", "#059669", "#7c3aed", "#d97706", "#0891b2", "#db2777", "#4d7c0f",
    ];

    #[cfg(feature = "hydrate")]
    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn stored_name() -> Option<String> {
        #[cfg(feature = "hydrate")]
        {
            return storage()
                .and_then(|s| s.get_item(NAME_KEY).ok().flatten())
                .filter(|n| !n.trim().is_empty());
        }
        #[allow(unreachable_code)]
        None
    }

    pub fn remember(name: &str) {
        #[cfg(feature = "hydrate")]
        if let Some(s) = storage() {
            let _ = s.set_item(NAME_KEY, name);
        }
        let _ = name;
    }

    /// This tab's identity: the remembered name and colour, and a fresh client id.
    pub fn new(name: String) -> Identity {
        let client = crate::model::new_id();
        #[allow(unused_mut)]
        let mut colour =
            COLOURS[(client.as_u64_pair().1 % COLOURS.len() as u64) as usize].to_string();
        #[cfg(feature = "hydrate")]
        if let Some(s) = storage() {
            match s.get_item(COLOUR_KEY).ok().flatten() {
                Some(stored) => colour = stored,
                None => {
                    let _ = s.set_item(COLOUR_KEY, &colour);
                }
            }
        }
        Identity {
            client,
            name,
            colour,
        }
    }
}

/// Asks for a display name on the first visit; the others see it next to the pointer.
#[component]
fn NamePrompt(name: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let hydrated = use_hydrated();
    let input = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = input.get_untracked().map(|i| i.value()).unwrap_or_default();
        let value = crate::sync::protocol::clean_name(&value);
        identity::remember(&value);
        name.set(Some(value));
    };
    view! {
        <Show when=move || hydrated.get() && name.get().is_none()>
            <div class="modal-backdrop">
                <form class="modal name-prompt" on:submit=submit>
                    <h2>{text(move || t_string!(i18n, board.name_title))}</h2>
                    <p class="muted">{text(move || t_string!(i18n, board.name_help))}</p>
                    <input
                        node_ref=input
                        name="display-name"
                        aria-label=text(move || t_string!(i18n, board.display_name))
                        placeholder=text(move || t_string!(i18n, board.your_name))
                        maxlength="40"
                        autofocus
                        required
                    />
                    <button type="submit" class="primary">{text(move || t_string!(i18n, board.join))}</button>
                </form>
            </div>
        </Show>
    }
}

/// The link preview of a board: its title and what is on it.
struct Preview {
    title: String,
    description: String,
}

impl Preview {
    fn of(board: &Board) -> Self {
        use crate::model::ElementKind;
        let count = |kind: ElementKind| board.elements().filter(|e| e.kind == kind).count();
        let parts: Vec<String> = [
            (ElementKind::DomainEvent, "domain event"),
            (ElementKind::Command, "command"),
            (ElementKind::Aggregate, "aggregate"),
            (ElementKind::Policy, "policy"),
            (ElementKind::ReadModel, "read model"),
            (ElementKind::BoundedContext, "bounded context"),
        ]
        .into_iter()
        .filter_map(|(kind, name)| {
            let n = count(kind);
            (n > 0).then(|| {
                let plural = match (n, name) {
                    (1, _) => name.to_string(),
                    (_, "policy") => "policies".to_string(),
                    _ => format!("{name}s"),
                };
                format!("{n} {plural}")
            })
        })
        .collect();
        let description = if parts.is_empty() {
            "An empty event-storming board on Squall".to_string()
        } else {
            format!("Event-storming board: {}", parts.join(", "))
        };
        Self {
            title: board.title().to_string(),
            description,
        }
    }
}

/// The owner's Share dialog: the edit and view links with copy buttons, and rotation.
#[component]
fn ShareDialog(editor: Editor, sharing: RwSignal<bool>) -> impl IntoView {
    crate::split::lazily_closable(
        crate::preload!(__preload_share_dialog),
        sharing,
        move || share_dialog(editor, sharing),
    )
}

/// The dialog's code, fetched when it first opens (`crate::split`).
#[lazy]
fn share_dialog(editor: Editor, sharing: RwSignal<bool>) -> AnyView {
    view! { <ShareLoaded editor sharing /> }.into_any()
}

#[component]
fn ShareLoaded(editor: Editor, sharing: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let links = RwSignal::new(None::<crate::access::ShareLinks>);
    // Which link's "Replace?" question is open.
    let asking = RwSignal::new(None::<crate::access::Role>);
    let error = RwSignal::new(None::<String>);
    let id = editor.board_id();
    let key = editor.board_key();
    let origin = move || {
        #[cfg(feature = "hydrate")]
        {
            return web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default();
        }
        #[allow(unreachable_code)]
        String::new()
    };
    let url = {
        let id = id.clone();
        move |token: &str| format!("{}/b/{id}?key={token}", origin())
    };
    {
        let (id, key) = (id.clone(), key.clone());
        leptos::task::spawn_local(async move {
            match crate::api::get_share_links(id, key).await {
                Ok(l) => links.set(Some(l)),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    }
    let rotate = move |role: crate::access::Role| {
        let (id, key) = (id.clone(), key.clone());
        leptos::task::spawn_local(async move {
            match crate::api::rotate_link(id, key, role).await {
                Ok(token) => links.update(|l| {
                    if let Some(l) = l {
                        match role {
                            crate::access::Role::Edit => l.edit = token,
                            _ => l.view = token,
                        }
                    }
                }),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let row = move |role: crate::access::Role| {
        let edit = role == crate::access::Role::Edit;
        let label = move || {
            if edit {
                t_string!(i18n, board.edit)
            } else {
                t_string!(i18n, board.view)
            }
        };
        let link_label = move || {
            if edit {
                t_string!(i18n, board.edit_link)
            } else {
                t_string!(i18n, board.view_link)
            }
        };
        let help = move || {
            if edit {
                t_string!(i18n, board.edit_help)
            } else {
                t_string!(i18n, board.view_help)
            }
        };
        let url = url.clone();
        let rotate = rotate.clone();
        let link = move || {
            links.with(|l| {
                l.as_ref()
                    .map(|l| {
                        url(if role == crate::access::Role::Edit {
                            &l.edit
                        } else {
                            &l.view
                        })
                    })
                    .unwrap_or_default()
            })
        };
        let copied = RwSignal::new(false);
        // Replacing cannot be undone: the first click asks, the second replaces.
        let confirming = Memo::new(move |_| asking.get() == Some(role));
        // The question takes the focus on its safe answer: a reflex Enter keeps the link.
        let keep = NodeRef::<leptos::html::Button>::new();
        Effect::new(move |_| {
            if let Some(button) = keep.get() {
                let _ = button.focus();
            }
        });
        let replaced = RwSignal::new(false);
        let copy = {
            let link = link.clone();
            move |_| {
                copy_text(&link());
                copied.set(true);
            }
        };
        view! {
            <div class="share-row" data-role=role.as_str()>
                <label>
                    {label}
                    <input readonly aria-label=link_label prop:value=link.clone() />
                </label>
                <p class="muted">{help}</p>
                <div class="share-actions">
                    <button on:click=copy>{move || if copied.get() { t_string!(i18n, board.copied) } else { t_string!(i18n, board.copy_link) }}</button>
                    <Show
                        when=move || confirming.get()
                        fallback=move || view! {
                            <button class="secondary" on:click=move |_| asking.set(Some(role))>{text(move || t_string!(i18n, board.replace_link))}</button>
                        }
                    >
                        <span class="confirm" role="alert">{text(move || t_string!(i18n, board.replace_question))}</span>
                        <button class="danger" on:click={
                            let rotate = rotate.clone();
                            move |_| {
                                asking.set(None);
                                copied.set(false);
                                replaced.set(true);
                                rotate(role);
                            }
                        }>{text(move || t_string!(i18n, board.replace))}</button>
                        <button class="secondary" node_ref=keep on:click=move |_| asking.set(None)>{text(move || t_string!(i18n, board.keep))}</button>
                    </Show>
                    <Show when=move || replaced.get() && !confirming.get()>
                        <span class="replaced" role="status">{text(move || t_string!(i18n, board.replaced))}</span>
                    </Show>
                </div>
            </div>
        }
    };
    // The dialog takes the focus, so Escape closes it at once; the board gets it back after.
    let dialog = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = dialog.get() {
            let _ = el.focus();
        }
    });
    // Escape takes back an open question, or else closes the dialog, wherever the focus is.
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            if asking.get_untracked().is_some() {
                asking.set(None);
            } else {
                sharing.set(false);
            }
        }
    });
    on_cleanup(move || {
        escape.remove();
        editor.focus_canvas();
    });
    view! {
        <div class="modal-backdrop" on:click=move |_| sharing.set(false)>
            <div
                class="modal share-dialog"
                role="dialog"
                aria-modal="true"
                aria-label=text(move || t_string!(i18n, board.share))
                tabindex="-1"
                node_ref=dialog
                on:click=|ev| ev.stop_propagation()
            >
                <h2>{text(move || t_string!(i18n, board.share_title))}</h2>
                {row(crate::access::Role::Edit)}
                {row(crate::access::Role::View)}
                <p class="muted">{text(move || t_string!(i18n, board.replace_note))}</p>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button class="primary" on:click=move |_| sharing.set(false)>{text(move || t_string!(i18n, board.done))}</button>
            </div>
        </div>
    }
}

/// Puts `text` on the clipboard (the page is served over HTTP on localhost or HTTPS).
fn copy_text(text: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
    let _ = text;
}

/// Who else is on the board: a coloured badge with each person's initial.
#[component]
fn Peers(editor: Editor) -> impl IntoView {
    let i18n = use_i18n();
    // A workshop has dozens of people: the first few faces, then "+N" naming the rest, so the
    // bar keeps its buttons.
    // A laptop's bar has room for three, a phone's for one.
    let shown = move || match editor.screen.get().0 {
        w if w <= 700.0 => 1,
        w if w < 1440.0 => 3,
        _ => FACES,
    };
    let faces = move || {
        let shown = shown();
        editor
            .peers
            .with(|peers| peers.iter().take(shown).cloned().collect::<Vec<_>>())
    };
    let rest = move || {
        let shown = shown();
        editor.peers.with(|peers| {
            (peers.len() > shown).then(|| {
                let names = peers[shown..]
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                (format!("+{}", peers.len() - shown), names)
            })
        })
    };
    view! {
        <ul class="peers" aria-label=text(move || t_string!(i18n, board.people))>
            <For each=faces key=|p| (p.id, p.name.clone(), p.colour.clone()) let:peer>
                <li
                    class="peer"
                    title=peer.name.clone()
                    data-peer-name=peer.name.clone()
                    style=format!("--peer:{}", peer.colour)
                >
                    {peer.name.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default()}
                </li>
            </For>
            {move || rest().map(|(more, names)| view! {
                <li class="peer more" title=names.clone() aria-label=names>{more}</li>
            })}
        </ul>
    }
}

/// How many people's faces the bar shows before "+N".
const FACES: usize = 5;

#[component]
pub fn BoardPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let key = move || query.read().get("key").unwrap_or_default();
    let board = Resource::new(move || (id(), key()), |(id, key)| load_board(id, key));
    let hydrated = use_hydrated();
    let i18n = use_i18n();

    view! {
        <main class="page board-page" data-hydrated=move || hydrated.get().to_string()>
            <Suspense fallback=move || view! { <p class="muted">{text(move || t_string!(i18n, board.loading))}</p> }>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(Some(open)) => view! { <BoardScreen id=id() key=key() open /> }.into_any(),
                        Ok(None) => view! { <super::NotFound /> }.into_any(),
                        Err(e) => {
                            let error = e.to_string();
                            view! {
                                <p class="error" role="alert">{move || fill(t_string!(i18n, board.load_failed), &[("error", &error)])}</p>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}

/// The board's title; with an edit link, a click (or Enter on it) turns it into a field: Enter or
/// a click away renames the board, Escape keeps the old title.
#[component]
fn BoardTitle(editor: Editor, can_edit: bool) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let field = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = field.get() {
            let _ = el.focus();
            el.select();
        }
    });
    let done = StoredValue::new(false);
    let save = move || {
        if done.get_value() {
            return;
        }
        done.set_value(true);
        if let Some(el) = field.get_untracked() {
            let title = el.value().trim().to_string();
            if !title.is_empty() && title != editor.title.get_untracked() {
                editor.commit(vec![crate::model::Op::RenameBoard { title }]);
            }
        }
        editing.set(false);
    };
    let open = move || {
        if can_edit {
            done.set_value(false);
            editing.set(true);
        }
    };
    view! {
        <Show
            when=move || editing.get()
            fallback=move || view! {
                <h1
                    class="board-title"
                    class:renamable=can_edit
                    title=move || can_edit.then(|| t_string!(i18n, board.rename))
                    tabindex=can_edit.then_some("0")
                    on:click=move |_| open()
                    on:keydown=move |ev| if ev.key() == "Enter" { open() }
                >
                    {move || editor.title.get()}
                </h1>
            }
        >
            <input
                class="board-title-field"
                node_ref=field
                aria-label=text(move || t_string!(i18n, board.title_field))
                maxlength="200"
                prop:value=editor.title.get_untracked()
                on:keydown=move |ev| {
                    if crate::components::composing(&ev) {
                        return;
                    }
                    match ev.key().as_str() {
                        "Enter" => save(),
                        "Escape" => {
                            done.set_value(true);
                            editing.set(false);
                        }
                        _ => {}
                    }
                }
                on:blur=move |_| save()
            />
        </Show>
    }
}

#[component]
fn BoardScreen(id: String, key: String, open: OpenBoard) -> impl IntoView {
    let OpenBoard {
        board,
        seq,
        role,
        problems,
    } = open;
    let i18n = use_i18n();
    let remembered = RecentBoard {
        id: id.clone(),
        title: board.title().to_string(),
        key: key.clone(),
        key_role: role,
        opened_at: None,
    };
    Effect::new(move |_| recent::remember(remembered.clone()));
    let preview = Preview::of(&board);
    let editor = Editor::new(id, key, board, seq, problems);
    // A link replaced or a board deleted under this page: nothing typed here could be saved any
    // more, so the board turns read-only and says why.
    let closed = move || match editor.save.get() {
        crate::editor::SaveState::Closed(code) => Some(match code.as_str() {
            "access_revoked" => t_string!(i18n, board.closed_revoked).to_string(),
            "board_deleted" => t_string!(i18n, board.closed_deleted).to_string(),
            _ => t_string!(i18n, board.closed_unknown).to_string(),
        }),
        _ => None,
    };
    let read_only = Signal::derive(move || {
        !role.can_edit()
            || editor
                .save
                .with(|s| matches!(s, crate::editor::SaveState::Closed(_)))
    });
    // Who this tab is: asked once per browser, then remembered.
    let name = RwSignal::new(None::<String>);
    Effect::new(move |_| name.set(identity::stored_name()));
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) {
            return true;
        }
        match name.get() {
            Some(name) => {
                editor.go_live(identity::new(name));
                true
            }
            None => false,
        }
    });
    on_cleanup(move || editor.stop());
    let count = move || {
        crate::i18n::count(
            editor.order.with(Vec::len),
            i18n.get_locale(),
            t_string!(i18n, board.elements_single),
            t_string!(i18n, board.elements_many),
        )
    };
    let sharing = RwSignal::new(false);
    let exporting = RwSignal::new(false);
    // /b/{id}/assess opens the assessment view; opening and closing it keeps the address in step
    // (without reloading the page), so the view has a link of its own. It opens once the page
    // has hydrated: its code is loaded on demand (`crate::split`).
    let assessing = RwSignal::new(false);
    let at_assess = leptos_router::hooks::use_location()
        .pathname
        .get_untracked()
        .ends_with("/assess");
    Effect::new(move |_| {
        if at_assess {
            assessing.set(true);
        }
    });
    Effect::new(move |first: Option<()>| {
        let open = assessing.get();
        if first.is_some() {
            #[cfg(not(feature = "hydrate"))]
            let _ = open;
            #[cfg(feature = "hydrate")]
            {
                let location = window().location();
                let (Ok(path), Ok(search)) = (location.pathname(), location.search()) else {
                    return;
                };
                let base = path.trim_end_matches("/assess");
                let next = if open {
                    format!("{base}/assess{search}")
                } else {
                    format!("{base}{search}")
                };
                if next != format!("{path}{search}") {
                    let _ = window().history().and_then(|h| {
                        h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&next))
                    });
                }
            }
        }
    });
    // leptos_meta renders the server's <title> outside this page's reactive arena (on whichever
    // thread finishes the stream), where reading any signal panics, even `try_get`. So the server
    // gets plain text; only the browser follows renames.
    // One dialog at a time: while one's code is on its way, a click on another button wins.
    let open_only = move |dialog: RwSignal<bool>| {
        for other in [sharing, exporting, assessing] {
            if other != dialog {
                other.set(false);
            }
        }
        dialog.set(true);
    };
    let title: TextProp = if cfg!(feature = "ssr") {
        format!("{} · Squall", preview.title).into()
    } else {
        (move || format!("{} · Squall", editor.title.get())).into()
    };
    view! {
        <Title text=title />
        // What a chat app shows for a pasted link: never the key.
        <Meta property="og:title" content=preview.title.clone() />
        <Meta property="og:description" content=preview.description.clone() />
        <Meta property="og:type" content="website" />
        <Meta property="og:site_name" content="Squall" />
        <Meta name="description" content=preview.description />
        <Meta name="referrer" content="no-referrer" />
        <header class="board-bar">
            // A page load: the home page is the server's alone (pages/home.rs).
            <a href="/" rel="external" class="logo">"Squall"</a>
            <BoardTitle editor can_edit=role.can_edit() />
            <span class="muted element-count">{count}</span>
            {(!role.can_edit()).then(|| view! {
                <span class="badge view-only" title=text(move || t_string!(i18n, board.view_only_help))>{text(move || t_string!(i18n, board.view_only))}</span>
            })}
            <Peers editor />
            <ProblemsButton editor />
            <button class="assess secondary" title=text(move || t_string!(i18n, assess.assess_help))
                on:click=move |_| open_only(assessing)>{text(move || t_string!(i18n, assess.assess))}</button>
            <button class="export secondary" title=text(move || t_string!(i18n, board.export_help))
                on:click=move |_| open_only(exporting)>{text(move || t_string!(i18n, board.export))}</button>
            {role.can_share().then(|| view! {
                <button class="share" on:click=move |_| open_only(sharing)>{text(move || t_string!(i18n, board.share))}</button>
            })}
            <Toolbar editor read_only />
            <LanguageSwitch />
        </header>
        <NamePrompt name />
        <Show when=move || sharing.get()>
            <ShareDialog editor sharing />
        </Show>
        <Show when=move || exporting.get()>
            <ExportPanel editor open=exporting />
        </Show>
        <Show when=move || assessing.get()>
            <AssessPanel editor open=assessing read_only />
        </Show>
        <div class="board-body">
            {move || closed().map(|message| view! {
                <div class="closed-banner" role="alert">
                    <strong>{message}</strong>
                    {text(move || t_string!(i18n, board.closed_rest))}
                </div>
            })}
            <Show when=move || !read_only.get()>
                <Palette editor />
            </Show>
            <Canvas editor read_only />
            <Show when=move || editor.searching.get()>
                <Search editor />
            </Show>
            <Properties editor read_only />
            <Show when=move || editor.problems_open.get()>
                <ProblemsPanel editor read_only />
            </Show>
            <Minimap editor />
        </div>
    }
}
