//! Capability links, enforced by the server on every route and every socket message, whatever
//! the client sends: view cannot write, edit cannot manage links, a rotated link is refused, an
//! open socket on a rotated link loses access, and no token is stored in clear.

mod common;

use app::model::{Element, ElementKind, Op};
use app::sync::{ClientMsg, Point, Presence, ServerMsg};
use common::TestApp;
use common::ws::WsClient;
use serde_json::json;

fn sticky(label: &str) -> Op {
    Op::CreateElement {
        element: Element::new(ElementKind::DomainEvent, label, 10.0, 20.0),
    }
}

/// A request with the given token as `Authorization: Bearer` (or none).
async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    key: Option<&str>,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut request = app.client.request(method, app.url(path));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    common::split(request.send().await.unwrap()).await
}

async fn element_count(app: &TestApp, board: &str) -> usize {
    let key = app.key(board, "view");
    let (_, body) = app.get(&format!("/api/boards/{board}?key={key}")).await;
    body["elements"].as_array().unwrap().len()
}

async fn each_role_may_do_what_it_may_and_nothing_more(app: TestApp) {
    use reqwest::Method;
    let board = app.create_board("Order flow").await;
    let other = app.create_board("Another team's board").await;
    let (owner, edit, view) = (
        app.key(&board, "owner"),
        app.key(&board, "edit"),
        app.key(&board, "view"),
    );
    let show = format!("/api/boards/{board}");
    let ops = format!("/api/boards/{board}/ops");
    let links = format!("/api/boards/{board}/links");
    let rotate = format!("/api/boards/{board}/links/view/rotate");

    // Reading: any of the three links; nothing else, and all refusals look like "no such board".
    for key in [&owner, &edit, &view] {
        assert_eq!(call(&app, Method::GET, &show, Some(key), None).await.0, 200);
    }
    let strangers = [
        None,
        Some("not-a-token".to_string()),
        Some(app.key(&other, "owner")),
    ];
    for key in &strangers {
        let (status, body) = call(&app, Method::GET, &show, key.as_deref(), None).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("board_not_found")),
            "{key:?}"
        );
    }
    // The key also works in the query, as links carry it.
    assert_eq!(app.get(&format!("{show}?key={view}")).await.0, 200);

    // Writing: edit and owner; view gets a clear 403 and changes nothing.
    let batch = |label: &str| json!({ "ops": [sticky(label)] });
    let (status, body) = call(&app, Method::POST, &ops, Some(&view), Some(batch("Sneaky"))).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("read_only")));
    for key in [&edit, &owner] {
        assert_eq!(
            call(
                &app,
                Method::POST,
                &ops,
                Some(key),
                Some(batch("Order placed"))
            )
            .await
            .0,
            200
        );
    }
    assert_eq!(element_count(&app, &board).await, 2);

    // Managing: only the owner.
    for key in [&view, &edit] {
        for (method, path) in [
            (Method::GET, &links),
            (Method::POST, &rotate),
            (Method::DELETE, &show),
        ] {
            let (status, body) = call(&app, method.clone(), path, Some(key), None).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (403, Some("owner_only")),
                "{method} {path}"
            );
        }
    }
    let (status, shared) = call(&app, Method::GET, &links, Some(&owner), None).await;
    assert_eq!(
        (status, shared),
        (200, json!({ "edit": edit, "view": view }))
    );
    let (status, _) = call(
        &app,
        Method::POST,
        &format!("/api/boards/{board}/links/owner/rotate"),
        Some(&owner),
        None,
    )
    .await;
    assert_eq!(status, 404, "the owner link is not rotated");

    // Over the socket: a view link watches live but every submit is refused.
    let (mut watcher, _) = WsClient::join(&app.base, &board, &view, "Viewer").await;
    let (mut editor, _) = WsClient::join(&app.base, &board, &edit, "Editor").await;
    let refused = watcher.submit(vec![sticky("Sneaky")]).await;
    let answer = watcher
        .expect(|m| matches!(m, ServerMsg::Rejected { .. }))
        .await;
    assert!(
        matches!(answer, ServerMsg::Rejected { batch, ref code, .. } if batch == refused && code == "read_only"),
        "{answer:?}"
    );
    watcher
        .send(&ClientMsg::Presence(Presence {
            cursor: Some(Point { x: 1.0, y: 2.0 }),
            selection: vec![],
            editing: Some(app::model::new_id()),
        }))
        .await;
    let seen = editor
        .expect(|m| matches!(m, ServerMsg::Presence { peer } if peer.name == "Viewer" && peer.now.cursor.is_some()))
        .await;
    assert!(
        matches!(seen, ServerMsg::Presence { ref peer } if peer.now.editing.is_none()),
        "a view link is never shown typing in a sticky: {seen:?}"
    );
    editor.submit(vec![sticky("Payment received")]).await;
    editor
        .expect(|m| matches!(m, ServerMsg::Saved { .. }))
        .await;
    watcher.expect(|m| matches!(m, ServerMsg::Ops { .. })).await;
    assert_eq!(
        element_count(&app, &board).await,
        3,
        "only the editor's sticky landed"
    );
}

/// The pages' server functions check keys like the API.
async fn server_functions_check_the_key_too(app: TestApp) {
    let board = app.create_board("Order flow").await;
    // The browser sends their arguments as JSON (app/src/api.rs).
    let form = |key: &str, role: &str| json!({ "id": board, "key": key, "role": role });
    let post = async |path: &str, body: serde_json::Value| {
        let res = app
            .client
            .post(app.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    };
    for role in ["view", "edit"] {
        let key = app.key(&board, role);
        let (status, body) = post("/sfn/rotate_link", form(&key, "view")).await;
        assert!(
            status >= 400 && body.contains("owner"),
            "{role}: {status} {body}"
        );
        let (status, body) = post("/sfn/share_links", form(&key, "view")).await;
        assert!(
            status >= 400 && body.contains("owner"),
            "{role}: {status} {body}"
        );
    }
    let view = app.key(&board, "view");
    let (status, _) = post("/sfn/rotate_link", form(&app.key(&board, "owner"), "view")).await;
    assert_eq!(status, 200);
    assert_eq!(
        app.get(&format!("/api/boards/{board}?key={view}")).await.0,
        404,
        "rotated"
    );
    let (status, body) = post(
        "/sfn/load_board",
        json!({ "id": board, "key": "not-a-key" }),
    )
    .await;
    assert_eq!(
        (status, body.as_str()),
        (200, "null"),
        "a wrong key opens nothing"
    );
}

async fn a_rotated_link_is_refused_and_its_open_sockets_lose_access(app: TestApp) {
    use reqwest::Method;
    let board = app.create_board("Order flow").await;
    let (owner, edit, view) = (
        app.key(&board, "owner"),
        app.key(&board, "edit"),
        app.key(&board, "view"),
    );
    let (mut watcher, _) = WsClient::join(&app.base, &board, &view, "Viewer").await;
    let (mut editor, _) = WsClient::join(&app.base, &board, &edit, "Editor").await;

    let (status, body) = call(
        &app,
        Method::POST,
        &format!("/api/boards/{board}/links/view/rotate"),
        Some(&owner),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let new_view = body["token"].as_str().unwrap().to_string();
    assert_ne!(new_view, view);

    // The open view socket is told and dropped; the edit socket is untouched.
    let told = watcher
        .expect(|m| matches!(m, ServerMsg::Error { .. }))
        .await;
    assert!(
        matches!(told, ServerMsg::Error { ref code, .. } if code == "access_revoked"),
        "{told:?}"
    );
    assert_eq!(watcher.next().await, None, "and the socket closes");
    editor.submit(vec![sticky("Still editing")]).await;
    editor
        .expect(|m| matches!(m, ServerMsg::Accepted { .. }))
        .await;

    // The old link opens nothing, over HTTP or a new socket; the new one works.
    let show = format!("/api/boards/{board}");
    assert_eq!(
        call(&app, Method::GET, &show, Some(&view), None).await.0,
        404
    );
    let (status, _) = app.get(&format!("{show}/ws?key={view}")).await;
    assert_eq!(status, 404);
    assert_eq!(
        call(&app, Method::GET, &show, Some(&new_view), None)
            .await
            .0,
        200
    );

    // Rotating the edit link drops the editor the same way, and its writes are refused.
    let (status, _) = call(
        &app,
        Method::POST,
        &format!("/api/boards/{board}/links/edit/rotate"),
        Some(&owner),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let told = editor
        .expect(|m| matches!(m, ServerMsg::Error { .. }))
        .await;
    assert!(matches!(told, ServerMsg::Error { ref code, .. } if code == "access_revoked"));
    let (status, _) = call(
        &app,
        Method::POST,
        &format!("{show}/ops"),
        Some(&edit),
        Some(json!({ "ops": [sticky("Late")] })),
    )
    .await;
    assert_eq!(status, 404);
}

/// Every token a board had: the three from its creation and the rotated ones.
async fn every_token(app: &TestApp, board: &str) -> Vec<String> {
    let owner = app.key(board, "owner");
    let mut tokens = vec![
        owner.clone(),
        app.key(board, "edit"),
        app.key(board, "view"),
    ];
    for role in ["edit", "view"] {
        let res = app
            .client
            .post(app.url(&format!("/api/boards/{board}/links/{role}/rotate")))
            .bearer_auth(&owner)
            .send()
            .await
            .unwrap();
        let (_, body) = common::split(res).await;
        tokens.push(body["token"].as_str().unwrap().to_string());
    }
    tokens
}

#[tokio::test]
async fn sqlite_no_token_is_stored_in_clear() {
    let app = common::spawn_app().await;
    let board = app.create_board("Order flow").await;
    let tokens = every_token(&app, &board).await;
    // The database file and its write-ahead log, byte for byte.
    let file = app.sqlite_file().unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    if let Ok(wal) = std::fs::read(file.with_extension("db-wal")) {
        bytes.extend(wal);
    }
    let dump = String::from_utf8_lossy(&bytes);
    assert!(
        dump.contains(&server::access::hash_token(&tokens[0])),
        "the hashes are there"
    );
    for token in &tokens {
        assert!(
            !dump.contains(token.as_str()),
            "token {token} is stored in clear"
        );
    }
}

#[tokio::test]
async fn postgres_no_token_is_stored_in_clear() {
    let url = common::pg_database().await;
    let store = std::sync::Arc::new(server::store::PgStore::connect(&url).await.unwrap());
    let app = common::spawn_with(store, None).await;
    let board = app.create_board("Order flow").await;
    let tokens = every_token(&app, &board).await;
    let bin = std::fs::read_dir("/usr/lib/postgresql")
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin/pg_dump"))
        .filter(|p| p.exists())
        .max()
        .expect("pg_dump from Debian's postgresql");
    let out = std::process::Command::new(bin).arg(&url).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dump = String::from_utf8_lossy(&out.stdout);
    assert!(
        dump.contains(&server::access::hash_token(&tokens[0])),
        "the hashes are there"
    );
    for token in &tokens {
        assert!(
            !dump.contains(token.as_str()),
            "token {token} is in the dump"
        );
    }
}

macro_rules! access_tests {
    ($backend:ident, $app:expr) => {
        mod $backend {
            #[tokio::test]
            async fn each_role_may_do_what_it_may_and_nothing_more() {
                super::each_role_may_do_what_it_may_and_nothing_more($app).await;
            }

            #[tokio::test]
            async fn server_functions_check_the_key_too() {
                super::server_functions_check_the_key_too($app).await;
            }

            #[tokio::test]
            async fn a_rotated_link_is_refused_and_its_open_sockets_lose_access() {
                super::a_rotated_link_is_refused_and_its_open_sockets_lose_access($app).await;
            }
        }
    };
}

access_tests!(sqlite, crate::common::spawn_app().await);
access_tests!(
    postgres,
    crate::common::spawn_with(crate::common::pg_store().await, None).await
);
