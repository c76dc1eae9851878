//! The HTTP API and the server-rendered pages, against a real server on SQLite.

mod common;

use common::spawn_app;
use serde_json::json;
use uuid::Uuid;

fn event(label: &str, x: f64, y: f64) -> (String, serde_json::Value) {
    let id = Uuid::now_v7().to_string();
    let op = json!({ "type": "create_element", "element": {
        "id": id, "kind": "domain_event", "label": label, "x": x, "y": y, "width": 120, "height": 120
    }});
    (id, op)
}

#[tokio::test]
async fn health_answers_200_when_the_database_does() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn creating_a_board_answers_201_with_its_id_and_location() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/boards"))
        .json(&json!({ "title": "  Online shop  " }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let (_, body) = common::split(res).await;
    let id = body["id"].as_str().unwrap();
    assert_eq!(Uuid::parse_str(id).unwrap().get_version_num(), 7);
    assert_eq!(location, format!("/api/boards/{id}"));
    assert_eq!(body["title"], "Online shop");

    let links = &body["links"];
    for role in ["owner", "edit", "view"] {
        assert_eq!(
            links[role].as_str().unwrap().len(),
            43,
            "{role}: 256 bits, base64url"
        );
    }
    let (status, board) = app
        .get(&format!(
            "{location}?key={}",
            links["view"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        board,
        json!({ "id": id, "seq": 0, "title": "Online shop", "role": "view", "elements": [], "connections": [] })
    );
    let (status, _) = app.get(&location).await;
    assert_eq!(status, 404, "no key, no board");
}

#[tokio::test]
async fn a_batch_of_operations_is_applied_and_the_board_shows_it() {
    let app = spawn_app().await;
    let board = app.create_board("Online shop").await;
    let (placed, op1) = event("Order Placed", 10.0, 20.0);
    let (paid, op2) = event("Order Paid", 200.0, 20.0);
    let arrow = Uuid::now_v7().to_string();
    let ops = json!({ "ops": [op1, op2,
        { "type": "connect", "connection": { "id": arrow, "from": placed, "to": paid } },
        { "type": "move_element", "id": paid, "x": 250, "y": 30 }] });
    let (status, body) = app.post(&format!("/api/boards/{board}/ops"), ops).await;
    // One batch, one sequence number.
    assert_eq!((status, body), (200, json!({ "seq": 1, "applied": 4 })));

    let (_, shown) = app.get(&format!("/api/boards/{board}")).await;
    assert_eq!(shown["seq"], 1);
    assert_eq!(shown["elements"].as_array().unwrap().len(), 2);
    assert_eq!(shown["elements"][1]["x"], 250.0);
    assert_eq!(shown["connections"][0]["from"], placed.as_str());
}

#[tokio::test]
async fn a_rejected_operation_answers_422_with_its_code_and_index_and_changes_nothing() {
    let app = spawn_app().await;
    let board = app.create_board("Online shop").await;
    let (_, good) = event("Order Placed", 0.0, 0.0);
    let ghost = Uuid::now_v7();
    let ops = json!({ "ops": [good, { "type": "delete_element", "id": ghost }] });
    let (status, body) = app.post(&format!("/api/boards/{board}/ops"), ops).await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "unknown_element");
    assert_eq!(body["op_index"], 1);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains(&ghost.to_string())
    );
    let (_, shown) = app.get(&format!("/api/boards/{board}")).await;
    assert_eq!(
        (
            shown["seq"].clone(),
            shown["elements"].as_array().unwrap().len()
        ),
        (json!(0), 0)
    );
}

#[tokio::test]
async fn malformed_and_misshapen_bodies_get_clear_errors_and_change_nothing() {
    let app = spawn_app().await;
    let board = app.create_board("Online shop").await;
    let path = format!("/api/boards/{board}/ops");
    let send = |body: &'static str, content_type: &'static str| {
        app.client
            .post(app.url(&path))
            .bearer_auth(app.key(&board, "edit"))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let cases = [
        ("{\"ops\": [", "application/json", 400, "bad_json"),
        (
            "{\"ops\": [{\"type\": \"explode\"}]}",
            "application/json",
            422,
            "invalid_body",
        ),
        (
            "{\"ops\": [], \"extra\": 1}",
            "application/json",
            422,
            "invalid_body",
        ),
        (
            "{\"ops\": [{\"type\": \"move_element\", \"id\": \"not-a-uuid\", \"x\": 1, \"y\": 2}]}",
            "application/json",
            422,
            "invalid_body",
        ),
        ("{\"ops\": []}", "text/plain", 415, "unsupported_media_type"),
    ];
    for (body, content_type, status, code) in cases {
        let (got, answer) = common::split(send(body, content_type).await.unwrap()).await;
        assert_eq!(
            (got, answer["code"].as_str()),
            (status, Some(code)),
            "{body}: {answer}"
        );
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (_, shown) = app.get(&format!("/api/boards/{board}")).await;
    assert_eq!(shown["seq"], 0);
}

#[tokio::test]
async fn non_finite_and_out_of_range_numbers_are_refused() {
    let app = spawn_app().await;
    let board = app.create_board("Online shop").await;
    let (id, op) = event("Order Placed", 0.0, 0.0);
    app.post(&format!("/api/boards/{board}/ops"), json!({ "ops": [op] }))
        .await;
    let (status, body) = app
        .post(
            &format!("/api/boards/{board}/ops"),
            json!({ "ops": [{ "type": "move_element", "id": id, "x": 1e300, "y": 0 }] }),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("bad_coordinate"))
    );
}

#[tokio::test]
async fn an_oversized_body_answers_413() {
    let app = spawn_app().await;
    let board = app.create_board("Online shop").await;
    let huge = format!(
        "{{\"ops\": [], \"pad\": \"{}\"}}",
        "x".repeat(17 * 1024 * 1024)
    );
    let res = app
        .client
        .post(app.url(&format!("/api/boards/{board}/ops")))
        .bearer_auth(app.key(&board, "edit"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    let (status, body) = common::split(res).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (413, Some("payload_too_large"))
    );
}

#[tokio::test]
async fn unknown_boards_and_routes_answer_404_in_json() {
    let app = spawn_app().await;
    let ghost = Uuid::now_v7();
    for path in [
        format!("/api/boards/{ghost}"),
        "/api/boards/not-a-uuid".to_string(),
    ] {
        let (status, body) = app.get(&path).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("board_not_found"))
        );
    }
    let (status, body) = app
        .post(&format!("/api/boards/{ghost}/ops"), json!({ "ops": [] }))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("board_not_found"))
    );
    let (status, body) = app.get("/api/nothing-here").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("route_not_found"))
    );
}

#[tokio::test]
async fn a_bad_title_is_refused() {
    let app = spawn_app().await;
    let (status, body) = app.post("/api/boards", json!({ "title": "   " })).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("title_empty")));
    let (status, body) = app.post("/api/boards", json!({ "name": "x" })).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_body")));
}

#[tokio::test]
async fn a_deleted_board_is_gone() {
    let app = spawn_app().await;
    let board = app.create_board("Online shop").await;
    let res = app
        .client
        .delete(app.url(&format!("/api/boards/{board}")))
        .bearer_auth(app.key(&board, "owner"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let (status, _) = app.get(&format!("/api/boards/{board}")).await;
    assert_eq!(status, 404);
    let res = app
        .client
        .delete(app.url(&format!("/api/boards/{board}")))
        .bearer_auth(app.key(&board, "owner"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404, "its links went with it");
}

#[tokio::test]
async fn the_board_page_is_rendered_on_the_server_with_labels_escaped() {
    let app = spawn_app().await;
    let board = app.create_board("Online <shop>").await;
    let hostile = "</script><script>alert(1)</script>";
    let (id, op) = event(hostile, 40.0, 60.0);
    app.post(&format!("/api/boards/{board}/ops"), json!({ "ops": [op] }))
        .await;

    let res = app
        .client
        .get(app.url(&format!("/b/{board}?key={}", app.key(&board, "view"))))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&format!("data-id=\"{id}\"")),
        "the sticky is rendered"
    );
    assert!(html.contains("kind-domain_event"));
    assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        !html.contains("<script>alert(1)"),
        "the label is never markup"
    );
    assert!(html.contains("Online &lt;shop&gt;"));

    // A link pasted in a chat: title and contents, never the key.
    let meta = |property: &str| {
        let start = html
            .find(&format!("property=\"{property}\""))
            .expect(property);
        let tag_start = html[..start].rfind('<').unwrap();
        let tag_end = start + html[start..].find('>').unwrap();
        html[tag_start..=tag_end].to_string()
    };
    assert!(
        meta("og:title").contains("Online &lt;shop&gt;"),
        "{}",
        meta("og:title")
    );
    assert!(
        meta("og:description").contains("1 domain event"),
        "{}",
        meta("og:description")
    );
    for role in ["owner", "edit", "view"] {
        let key = app.key(&board, role);
        assert!(!meta("og:title").contains(&key) && !meta("og:description").contains(&key));
    }
    // Without a key the page is the same 404 as for a board that does not exist.
    let res = app
        .client
        .get(app.url(&format!("/b/{board}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn pages_for_unknown_boards_and_paths_answer_404() {
    let app = spawn_app().await;
    for path in [
        format!("/b/{}", Uuid::now_v7()),
        "/b/nope".into(),
        "/no/such/page".into(),
    ] {
        let res = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 404, "{path}");
    }
    let home = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.status(), 200);
    let home = home.text().await.unwrap();
    assert!(home.contains("Create board"));
    // The home page is not hydrated: no WebAssembly, its script inlined with the page's nonce.
    assert!(
        !home.contains(".wasm") && !home.contains("modulepreload"),
        "{home}"
    );
    assert!(home.contains("<script type=\"module\" nonce=\""), "{home}");
}

#[tokio::test]
async fn the_home_page_form_creates_a_board_even_before_hydration() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .post(app.url("/sfn/create_board"))
        .header("accept", "text/html")
        .form(&[("title", "Workshop")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()["location"].to_str().unwrap();
    assert!(location.starts_with("/b/"), "{location}");
    let (status, board) = app.get(&format!("/api/boards/{}", &location[3..])).await;
    assert_eq!((status, board["title"].as_str()), (200, Some("Workshop")));
}

/// The home page's form is plain HTML: a refusal sends the browser back to the home page, which
/// says why (server_fn's `__err` in the address, read on both sides: `api::refusal_in_query`).
#[tokio::test]
async fn a_refused_title_comes_back_to_the_home_page_with_the_reason() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .post(app.url("/sfn/create_board"))
        .header("accept", "text/html")
        .header("referer", app.url("/"))
        .form(&[("title", "Bell \u{7} rings")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert!(back.contains("__err="), "{back}");
    let page = client.get(&back).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("text may not contain control characters other than newline and tab"),
        "the reason is on the page"
    );
}

#[tokio::test]
async fn a_board_exports_to_a_document_that_imports_as_a_new_board() {
    let app = spawn_app().await;
    let board = app.create_board("Order flow: returns").await;
    let hostile = common::hostile_labels();
    let ops: Vec<_> = hostile.iter().map(|l| event(l, 10.0, 20.0).1).collect();
    assert_eq!(
        app.post(&format!("/api/boards/{board}/ops"), json!({ "ops": ops }))
            .await
            .0,
        200
    );

    let view = app.key(&board, "view");
    let res = app
        .client
        .get(app.url(&format!(
            "/api/boards/{board}/export?target=json&key={view}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "a view link may export");
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"order-flow-returns.squall.json\""
    );
    let document: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        (document["format"].as_str(), document["version"].as_i64()),
        (Some("squall-board"), Some(2))
    );

    let (status, imported) = app.post("/api/boards/import", document.clone()).await;
    assert_eq!(status, 201, "{imported}");
    let copy = imported["id"].as_str().unwrap();
    assert_ne!(copy, board);
    assert_eq!(
        imported["elements"].as_array().unwrap().len(),
        hostile.len()
    );
    let key = imported["links"]["view"].as_str().unwrap();
    let (_, shown) = app.get(&format!("/api/boards/{copy}?key={key}")).await;
    let (_, original) = app.get(&format!("/api/boards/{board}")).await;
    assert_eq!(
        shown["elements"], original["elements"],
        "every label comes back exactly"
    );

    // The home page's import (a server function) takes the same document and answers the new
    // board's owner link.
    let import_named = async |document: String, file_name: &str| {
        let res = app
            .client
            .post(app.url("/sfn/import_board"))
            .json(&json!({ "document": document, "file_name": file_name }))
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    };
    let import_page = async |document: String| import_named(document, "board.squall.json").await;
    let (status, href) = import_page(document.to_string()).await;
    assert_eq!(status, 200, "{href}");
    let href: String = serde_json::from_str(&href).unwrap();
    let (path, owner) = href.split_once("?key=").unwrap();
    let second = path.strip_prefix("/b/").unwrap();
    let (status, shown) = app.get(&format!("/api/boards/{second}?key={owner}")).await;
    assert_eq!((status, shown["role"].as_str()), (200, Some("owner")));
    assert_eq!(shown["elements"], original["elements"]);
    // A refusal is a 4xx (not a server failure) in the user's words, naming element and field.
    let (status, refused) = import_page("{\"format\": \"trello\"}".into()).await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused.contains("not a Squall board document"), "{refused}");
    let mut bad_id = document.clone();
    bad_id["board"]["elements"][1]["id"] = json!("order-1");
    bad_id["board"]["elements"][1]["label"] = json!("Order placed");
    let (status, refused) = import_page(bad_id.to_string()).await;
    assert_eq!(
        (status, refused.as_str()),
        (
            422,
            "ServerError|element 2 (\"Order placed\"), field \"id\": not a valid id \
             (expected a UUID such as 0190c3a0-7b5e-7c3d-9a41-2f6e8d1b0c55)"
        )
    );
    let (status, refused) = import_page("not json at all".into()).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(
        refused,
        "ServerError|this file is not JSON (line 1, column 2): a board file is the Export \
         panel's \"Board file (JSON)\""
    );
    // An SQL schema or an OpenAPI document from the same button (docs/import.md).
    let pagila = include_str!("../../fixtures/pagila-schema.sql");
    let (status, href) = import_named(pagila.into(), "pagila-schema.sql").await;
    assert_eq!(status, 200, "{href}");
    let (status, refused) = import_named("CREATE TABLE a (id int,, x int);".into(), "a.sql").await;
    assert_eq!(
        (status, refused.as_str()),
        (
            422,
            "ServerError|SQL schema, line 1, column 24: Expected: column name or constraint definition, found: ,"
        )
    );
    let petstore = include_str!("../../fixtures/petstore-openapi.yaml");
    let (status, href) = import_named(petstore.into(), "openapi.yaml").await;
    assert_eq!(status, 200, "{href}");
    // And over the API, the body as it is.
    let res = app
        .client
        .post(app.url("/api/boards/import/sql?title=Pagila"))
        .body(pagila)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let created: serde_json::Value = res.json().await.unwrap();
    assert_eq!(created["title"], "Pagila");
    // Every table but the payment partitions (docs/import.md I2).
    let tables = pagila.matches("CREATE TABLE public.").count()
        - pagila.matches(" ATTACH PARTITION ").count();
    let elements = created["elements"].as_array().unwrap();
    assert_eq!(
        elements.iter().filter(|e| e["kind"] == "aggregate").count(),
        tables
    );
    let res = app
        .client
        .post(app.url("/api/boards/import/openapi"))
        .body("swagger: \"2.0\"\n")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("Swagger 2.0"), "{body}");

    // Unknown targets and bad documents: clear errors, nothing created.
    let (status, body) = app
        .get(&format!("/api/boards/{board}/export?target=cobol"))
        .await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_body")));
    let mut future = document.clone();
    future["version"] = json!(3);
    let mut broken = document.clone();
    broken["board"]["elements"][0]["label"] = json!("x".repeat(2_001));
    let mut dangling = document;
    dangling["board"]["connections"] =
        json!([{ "id": Uuid::now_v7(), "from": Uuid::now_v7(), "to": Uuid::now_v7() }]);
    for (bad, says) in [
        (future, "version 3"),
        (broken, "2000"),
        (dangling, "no element"),
    ] {
        let (status, body) = app.post("/api/boards/import", bad).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["message"].as_str().unwrap().contains(says), "{body}");
        assert!(body.get("id").is_none());
    }
}

#[tokio::test]
async fn the_rust_export_is_a_zip_of_the_generated_workspace_the_same_every_time() {
    let app = spawn_app().await;
    let board = app.create_board("Order flow").await;
    let frame = json!({ "type": "create_element", "element": { "id": Uuid::now_v7(),
        "kind": "bounded_context", "label": "Ordering", "x": 0, "y": 0, "width": 800, "height": 600 } });
    let (_, op) = event("Order placed", 100.0, 100.0);
    app.post(
        &format!("/api/boards/{board}/ops"),
        json!({ "ops": [frame, op] }),
    )
    .await;

    let view = app.key(&board, "view");
    let download = async || {
        let res = app
            .client
            .get(app.url(&format!(
                "/api/boards/{board}/export?target=rust-axum&key={view}"
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/zip");
        res.bytes().await.unwrap()
    };
    let first = download().await;
    assert_eq!(first, download().await, "deterministic bytes");
    assert!(first.starts_with(b"PK"), "a ZIP archive");
    let text = String::from_utf8_lossy(&first);
    assert!(text.contains("order-flow/services/ordering/src/domain.rs"));

    let (status, preview) = app
        .get(&format!(
            "/api/boards/{board}/export/preview?target=rust-axum"
        ))
        .await;
    assert_eq!(status, 200);
    assert!(
        preview["files"]["services/ordering/src/domain.rs"]
            .as_str()
            .unwrap()
            .contains("pub struct OrderPlaced")
    );
    // Each problem names its rule, severity and sticky (docs/model-rules.md).
    let problems = preview["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|p| p["rule"] == "R6"
            && p["severity"] == "warning"
            && p["element"]
                .as_str()
                .is_some_and(|id| id.parse::<Uuid>().is_ok())
            && p["message"]
                .as_str()
                .unwrap()
                .contains("emitted by nothing")),
        "{problems:?}"
    );
}
