//! Live collaboration through real WebSockets against a real server, on SQLite and on
//! PostgreSQL; two server processes on one PostgreSQL database; kill -9 durability.

mod common;

use std::collections::HashMap;

use app::model::{Element, ElementKind, Id, Op, Patch};
use app::sync::{CatchUp, ClientMsg, Point, Presence, Resume, ServerMsg};
use common::ws::WsClient;
use common::{ServerProcess, TestApp};
use serde_json::json;

fn sticky(label: &str, x: f64) -> (Id, Op) {
    let element = Element::new(ElementKind::DomainEvent, label, x, 100.0);
    (element.id, Op::CreateElement { element })
}

fn welcome_seq(welcome: &ServerMsg) -> (String, i64) {
    match welcome {
        ServerMsg::Welcome {
            epoch, catch_up, ..
        } => match catch_up {
            CatchUp::Snapshot { seq, .. } => (epoch.clone(), *seq),
            CatchUp::Ops { entries } => (epoch.clone(), entries.last().map_or(0, |e| e.seq)),
        },
        other => panic!("not a welcome: {other:?}"),
    }
}

async fn labels(app: &TestApp, board: &str) -> Vec<String> {
    let (_, body) = app.get(&format!("/api/boards/{board}")).await;
    let mut labels: Vec<String> = body["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["label"].as_str().unwrap().to_string())
        .collect();
    labels.sort();
    labels
}

async fn an_edit_reaches_the_others_and_is_acknowledged_once_stored(app: TestApp) {
    let board = app.create_board("Order flow").await;
    let (mut ada, _) = WsClient::join(&app.base, &board, &app.key(&board, "edit"), "Ada").await;
    let (mut bob, _) = WsClient::join(&app.base, &board, &app.key(&board, "edit"), "Bob").await;
    let (_, op) = sticky("Order placed", 10.0);
    let batch = ada.submit(vec![op.clone()]).await;

    let accepted = ada
        .expect(|m| matches!(m, ServerMsg::Accepted { .. }))
        .await;
    assert_eq!(accepted, ServerMsg::Accepted { batch, seq: 1 });
    let saved = ada.expect(|m| matches!(m, ServerMsg::Saved { .. })).await;
    assert!(matches!(saved, ServerMsg::Saved { seq } if seq >= 1));
    // Acknowledged means stored: the API (which reads the store) shows it.
    assert_eq!(labels(&app, &board).await, ["Order placed"]);

    let seen = bob.expect(|m| matches!(m, ServerMsg::Ops { .. })).await;
    assert_eq!(
        seen,
        ServerMsg::Ops {
            seq: 1,
            ops: vec![op]
        }
    );
}

async fn a_retried_batch_is_applied_once(app: TestApp) {
    let board = app.create_board("Order flow").await;
    let (mut ada, welcome) =
        WsClient::join(&app.base, &board, &app.key(&board, "edit"), "Ada").await;
    let (epoch, _) = welcome_seq(&welcome);
    let (_, op) = sticky("Order placed", 10.0);
    ada.submit(vec![op.clone()]).await;
    ada.expect(|m| matches!(m, ServerMsg::Saved { .. })).await;
    let client = ada.client;
    ada.close().await;

    // The same tab reconnects, as if the answer had been lost, and sends batch 1 again.
    let mut again = WsClient::open(&app.base, &board, &app.key(&board, "edit")).await;
    again.client = client;
    let welcome = again
        .hello(
            "Ada",
            Some(Resume {
                epoch: Some(epoch),
                seq: 0,
            }),
        )
        .await;
    match welcome {
        ServerMsg::Welcome {
            last_batch,
            catch_up: CatchUp::Ops { entries },
            ..
        } => {
            assert_eq!(last_batch, 1);
            assert_eq!(entries.len(), 1);
            assert_eq!(entries[0].mine, Some(1), "the catch-up marks our own batch");
        }
        other => panic!("{other:?}"),
    }
    again
        .send(&ClientMsg::Submit {
            batch: 1,
            ops: vec![op],
        })
        .await;
    let refused = again.expect(|m| matches!(m, ServerMsg::Error { .. })).await;
    assert!(matches!(refused, ServerMsg::Error { code, .. } if code == "duplicate_batch"));
    assert_eq!(labels(&app, &board).await, ["Order placed"]);
}

async fn a_reconnecting_client_catches_up_from_its_last_sequence_number(app: TestApp) {
    let board = app.create_board("Order flow").await;
    let (mut ada, _) = WsClient::join(&app.base, &board, &app.key(&board, "edit"), "Ada").await;
    let (bob, welcome) = WsClient::join(&app.base, &board, &app.key(&board, "edit"), "Bob").await;
    let (epoch, seq) = welcome_seq(&welcome);
    bob.close().await;
    for i in 0..3 {
        ada.submit(vec![sticky(&format!("Event {i}"), i as f64).1])
            .await;
        ada.expect(|m| matches!(m, ServerMsg::Accepted { .. }))
            .await;
    }
    let mut bob = WsClient::open(&app.base, &board, &app.key(&board, "edit")).await;
    let welcome = bob
        .hello(
            "Bob",
            Some(Resume {
                epoch: Some(epoch),
                seq,
            }),
        )
        .await;
    match welcome {
        ServerMsg::Welcome {
            catch_up: CatchUp::Ops { entries },
            ..
        } => assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]),
        other => panic!("{other:?}"),
    }
    // A stranger epoch (the server restarted) gets the whole board instead.
    let mut carol = WsClient::open(&app.base, &board, &app.key(&board, "edit")).await;
    let welcome = carol
        .hello(
            "Carol",
            Some(Resume {
                epoch: Some("gone".into()),
                seq: 1,
            }),
        )
        .await;
    match welcome {
        ServerMsg::Welcome {
            catch_up: CatchUp::Snapshot { seq, board },
            ..
        } => assert_eq!((seq, board.elements().len()), (3, 3)),
        other => panic!("{other:?}"),
    }
}

async fn bad_frames_get_an_error_and_change_nothing(app: TestApp) {
    let board = app.create_board("Order flow").await;
    let mut early = WsClient::open(&app.base, &board, &app.key(&board, "edit")).await;
    early
        .send(&ClientMsg::Submit {
            batch: 1,
            ops: vec![sticky("Too early", 0.0).1],
        })
        .await;
    let refused = early.next().await.unwrap();
    assert!(
        matches!(refused, ServerMsg::Error { ref code, .. } if code == "hello_first"),
        "{refused:?}"
    );

    let (mut ada, _) = WsClient::join(&app.base, &board, &app.key(&board, "edit"), "Ada").await;
    let hostile = [
        "not json",
        "{\"type\":\"submit\"}",
        "{\"type\":\"delete_everything\"}",
        "{\"type\":\"submit\",\"batch\":1,\"ops\":[{\"type\":\"move_element\",\"id\":\"x\",\"x\":1,\"y\":1}]}",
        "{\"type\":\"submit\",\"batch\":0,\"ops\":[]}",
        "{\"type\":\"presence\",\"cursor\":{\"x\":1e308,\"y\":0},\"selection\":[]}",
        "[]",
    ];
    for text in hostile {
        ada.send_raw(text).await;
        let reply = ada.next().await.expect("the connection stays open");
        assert!(
            matches!(reply, ServerMsg::Error { .. }),
            "{text}: {reply:?}"
        );
    }
    ada.send_binary(vec![0, 159, 146, 150]).await;
    assert!(matches!(ada.next().await, Some(ServerMsg::Error { .. })));
    let unknown = Op::MoveElement {
        id: app::model::new_id(),
        x: 1.0,
        y: 2.0,
    };
    let batch = ada.submit(vec![sticky("Fine", 0.0).1, unknown]).await;
    let refused = ada.next().await.unwrap();
    assert!(
        matches!(refused, ServerMsg::Rejected { batch: b, op_index: 1, ref code, .. } if b == batch && code == "unknown_element"),
        "{refused:?}"
    );
    // Still usable, and nothing of the above is on the board.
    ada.submit(vec![sticky("Order placed", 0.0).1]).await;
    ada.expect(|m| matches!(m, ServerMsg::Saved { .. })).await;
    assert_eq!(labels(&app, &board).await, ["Order placed"]);

    let (status, _) = app
        .get("/api/boards/00000000-0000-0000-0000-000000000000/ws?key=x")
        .await;
    assert_eq!(status, 404, "an unknown board has no socket");
}

async fn concurrent_edits_resolve_the_same_way_for_everyone(app: TestApp) {
    let board = app.create_board("Order flow").await;
    let (id, op) = sticky("Order placed", 0.0);
    app.post(&format!("/api/boards/{board}/ops"), json!({ "ops": [op] }))
        .await;
    let (mut ada, _) = WsClient::join(&app.base, &board, &app.key(&board, "edit"), "Ada").await;
    let (mut bob, _) = WsClient::join(&app.base, &board, &app.key(&board, "edit"), "Bob").await;
    // Different fields of one sticky: both survive. The same field: the later one wins.
    let label = |l: &str| {
        Op::update(
            id,
            Patch {
                label: Some(l.into()),
                ..Default::default()
            },
        )
    };
    let description = Op::update(
        id,
        Patch {
            description: Some("Emitted by Order".into()),
            ..Default::default()
        },
    );
    let ada_label = ada.submit(vec![label("Order Placed")]).await;
    bob.submit(vec![description]).await;
    let bob_label = bob.submit(vec![label("Order was placed")]).await;
    let seq_of = async |c: &mut WsClient, wanted: u64| loop {
        if let ServerMsg::Accepted { batch, seq } = c.next().await.unwrap()
            && batch == wanted
        {
            return seq;
        }
    };
    let ada_seq = seq_of(&mut ada, ada_label).await;
    let bob_seq = seq_of(&mut bob, bob_label).await;
    for (c, own) in [(&mut ada, ada_seq), (&mut bob, bob_seq)] {
        c.expect(|m| matches!(m, ServerMsg::Saved { seq } if *seq >= own))
            .await;
    }
    let (_, body) = app.get(&format!("/api/boards/{board}")).await;
    let e = &body["elements"][0];
    assert_eq!(e["props"]["description"], "Emitted by Order");
    let winner = if ada_seq > bob_seq {
        "Order Placed"
    } else {
        "Order was placed"
    };
    assert_eq!(e["label"], winner, "the label ordered last wins");

    // A sticky deleted while someone drags it stays deleted, for everyone.
    let (mut ada, _) = WsClient::join(&app.base, &board, &app.key(&board, "edit"), "Ada").await;
    ada.submit(vec![Op::DeleteElement { id }]).await;
    ada.expect(|m| matches!(m, ServerMsg::Accepted { .. }))
        .await;
    let drag = bob
        .submit(vec![Op::MoveElement {
            id,
            x: 50.0,
            y: 60.0,
        }])
        .await;
    let answer = bob
        .expect(|m| match m {
            ServerMsg::Rejected { batch, .. } | ServerMsg::Accepted { batch, .. } => *batch == drag,
            _ => false,
        })
        .await;
    assert!(
        matches!(answer, ServerMsg::Rejected { batch, .. } if batch == drag),
        "{answer:?}"
    );
    ada.expect(|m| matches!(m, ServerMsg::Saved { .. })).await;
    assert!(labels(&app, &board).await.is_empty(), "no ghost");
}

async fn presence_shows_who_is_here_and_where(app: TestApp) {
    let board = app.create_board("Order flow").await;
    let (mut ada, _) =
        WsClient::join(&app.base, &board, &app.key(&board, "edit"), "Ada\u{0007}  ").await;
    let (mut bob, welcome) =
        WsClient::join(&app.base, &board, &app.key(&board, "edit"), "Bob").await;
    let ServerMsg::Welcome { peers, .. } = welcome else {
        unreachable!()
    };
    assert_eq!(peers.len(), 1);
    assert_eq!(peers[0].name, "Ada", "names are cleaned");
    let joined = ada
        .expect(|m| matches!(m, ServerMsg::Presence { .. }))
        .await;
    let ServerMsg::Presence { peer: bob_peer } = joined else {
        unreachable!()
    };
    assert_eq!(bob_peer.name, "Bob");

    let (target, op) = sticky("Order placed", 0.0);
    ada.submit(vec![op]).await;
    ada.send(&ClientMsg::Presence(Presence {
        cursor: Some(Point { x: 120.5, y: -3.0 }),
        selection: vec![target],
        editing: Some(target),
    }))
    .await;
    let moved = bob
        .expect(|m| matches!(m, ServerMsg::Presence { peer } if peer.now.cursor.is_some()))
        .await;
    let ServerMsg::Presence { peer } = moved else {
        unreachable!()
    };
    assert_eq!(
        (peer.name.as_str(), peer.now),
        (
            "Ada",
            Presence {
                cursor: Some(Point { x: 120.5, y: -3.0 }),
                selection: vec![target],
                editing: Some(target),
            }
        ),
        "who is typing in which sticky goes out with the pointer and the selection"
    );

    ada.close().await;
    let left = bob.expect(|m| matches!(m, ServerMsg::Left { .. })).await;
    assert_eq!(left, ServerMsg::Left { peer: peer.id });
}

async fn http_batches_reach_the_sockets_too(app: TestApp) {
    let board = app.create_board("Order flow").await;
    let (mut ada, _) = WsClient::join(&app.base, &board, &app.key(&board, "edit"), "Ada").await;
    let (_, op) = sticky("Payment received", 0.0);
    let (status, body) = app
        .post(
            &format!("/api/boards/{board}/ops"),
            json!({ "ops": [op.clone()] }),
        )
        .await;
    assert_eq!((status, body["seq"].as_i64()), (200, Some(1)));
    let seen = ada.expect(|m| matches!(m, ServerMsg::Ops { .. })).await;
    assert_eq!(
        seen,
        ServerMsg::Ops {
            seq: 1,
            ops: vec![op]
        }
    );
    // Deleting the board drops its sockets.
    let res = app
        .client
        .delete(app.url(&format!("/api/boards/{board}")))
        .bearer_auth(app.key(&board, "owner"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let gone = ada.expect(|m| matches!(m, ServerMsg::Error { .. })).await;
    assert!(matches!(gone, ServerMsg::Error { code, .. } if code == "board_deleted"));
    assert_eq!(ada.next().await, None, "and the socket closes");
}

macro_rules! sync_tests {
    ($backend:ident, $app:expr, [$($test:ident),* $(,)?]) => {
        mod $backend {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test($app).await;
                }
            )*
        }
    };
}

macro_rules! every_sync_test {
    ($backend:ident, $app:expr) => {
        sync_tests!(
            $backend,
            $app,
            [
                an_edit_reaches_the_others_and_is_acknowledged_once_stored,
                a_retried_batch_is_applied_once,
                a_reconnecting_client_catches_up_from_its_last_sequence_number,
                bad_frames_get_an_error_and_change_nothing,
                concurrent_edits_resolve_the_same_way_for_everyone,
                presence_shows_who_is_here_and_where,
                http_batches_reach_the_sockets_too,
            ]
        );
    };
}

every_sync_test!(sqlite, crate::common::spawn_app().await);
every_sync_test!(
    postgres,
    crate::common::spawn_with(crate::common::pg_store().await, None).await
);

/// Creates a board on the server at `base` and returns its id and its `role` token.
async fn create_board_on(base: &str, role: &str) -> (String, String) {
    let created = common::create_board_at(base, "Order flow").await;
    let token = created["links"][role].as_str().unwrap().to_string();
    (created["id"].as_str().unwrap().to_string(), token)
}

/// Two server processes on one PostgreSQL database: people on different processes see each
/// other's edits and cursors live, and batches from both get one order.
#[tokio::test]
async fn two_server_processes_share_a_board_through_postgresql() {
    let url = common::pg_database().await;
    let one = ServerProcess::start(&url).await;
    let two = ServerProcess::start(&url).await;
    let api = reqwest::Client::new();
    let created = common::create_board_at(&one.base, "Order flow").await;
    let board = created["id"].as_str().unwrap().to_string();
    let key = created["links"]["edit"].as_str().unwrap().to_string();
    let owner = created["links"]["owner"].as_str().unwrap().to_string();
    let (mut ada, _) = WsClient::join(&one.base, &board, &key, "Ada").await;
    let (mut bob, _) = WsClient::join(&two.base, &board, &key, "Bob").await;

    let met = ada
        .expect(|m| matches!(m, ServerMsg::Presence { peer } if peer.name == "Bob"))
        .await;
    assert!(matches!(met, ServerMsg::Presence { .. }));
    bob.send(&ClientMsg::Presence(Presence {
        cursor: Some(Point { x: 5.0, y: 6.0 }),
        ..Presence::default()
    }))
    .await;
    ada.expect(|m| matches!(m, ServerMsg::Presence { peer } if peer.name == "Bob" && peer.now.cursor.is_some()))
        .await;

    // Both write at once; every batch gets one number and both see all of them in that order.
    let mut mine = HashMap::new();
    for i in 0..20 {
        let (_, a) = sticky(&format!("Ada {i}"), i as f64);
        let (_, b) = sticky(&format!("Bob {i}"), i as f64);
        mine.insert(ada.submit(vec![a]).await, "ada");
        bob.submit(vec![b]).await;
    }
    let (mut ada_seqs, mut bob_seqs) = (Vec::<i64>::new(), Vec::<i64>::new());
    while ada_seqs.len() < 40 {
        match ada.next().await.unwrap() {
            ServerMsg::Ops { seq, .. } | ServerMsg::Accepted { seq, .. } => ada_seqs.push(seq),
            _ => {}
        }
    }
    while bob_seqs.len() < 40 {
        match bob.next().await.unwrap() {
            ServerMsg::Ops { seq, .. } | ServerMsg::Accepted { seq, .. } => bob_seqs.push(seq),
            _ => {}
        }
    }
    assert_eq!(ada_seqs, (1..=40).collect::<Vec<_>>(), "gapless, in order");
    assert_eq!(bob_seqs, ada_seqs);
    // A batch posted to the process that does not own the board is passed to the one that
    // does (docs/sync.md S6) and reaches both sockets in the same order.
    let (_, op) = sticky("Posted to two", 0.0);
    let posted = api
        .post(format!("{}/api/boards/{board}/ops", two.base))
        .bearer_auth(&key)
        .json(&json!({ "ops": [op] }))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 200);
    let posted: serde_json::Value = posted.json().await.unwrap();
    assert_eq!(posted, json!({ "seq": 41, "applied": 1 }));
    for socket in [&mut ada, &mut bob] {
        socket
            .expect(|m| matches!(m, ServerMsg::Ops { seq: 41, .. }))
            .await;
    }

    // Shown first, stored a moment later (group commit): the API reads the store.
    for base in [&one.base, &two.base] {
        let mut body = serde_json::Value::Null;
        for _ in 0..100 {
            body = api
                .get(format!("{base}/api/boards/{board}?key={key}"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if body["seq"] == 41 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!(body["elements"].as_array().unwrap().len(), 41);
        assert_eq!(body["seq"], 41);
    }

    // Deleted through the process that does not own it: the owner drops every socket.
    let res = api
        .delete(format!("{}/api/boards/{board}", two.base))
        .bearer_auth(&owner)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    for socket in [&mut ada, &mut bob] {
        let gone = socket
            .expect(|m| matches!(m, ServerMsg::Error { .. }))
            .await;
        assert!(matches!(gone, ServerMsg::Error { code, .. } if code == "board_deleted"));
    }
}

/// kill -9 in the middle of a stream of edits: every batch the server acknowledged as saved is
/// in the store after a restart.
async fn no_acknowledged_batch_is_lost_to_kill_9(database_url: String) {
    let server = ServerProcess::start(&database_url).await;
    let api = reqwest::Client::new();
    let (board, key) = create_board_on(&server.base, "owner").await;
    let (mut ada, _) = WsClient::join(&server.base, &board, &key, "Ada").await;

    // Pipeline batches; note which sequence number each got and what is reported saved.
    let mut ids = HashMap::new();
    for _ in 0..3_000 {
        let (id, op) = sticky("Order placed", 0.0);
        ids.insert(ada.submit(vec![op]).await, id);
    }
    let mut seq_of = HashMap::new();
    let mut saved = 0;
    while saved < 300 {
        match ada.next().await.unwrap() {
            ServerMsg::Accepted { batch, seq } => {
                seq_of.insert(seq, batch);
            }
            ServerMsg::Saved { seq } => saved = seq,
            _ => {}
        }
    }
    server.kill();

    let server = ServerProcess::start(&database_url).await;
    let body: serde_json::Value = api
        .get(format!("{}/api/boards/{board}?key={key}", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let stored: std::collections::HashSet<String> = body["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    let acknowledged: Vec<_> = seq_of
        .iter()
        .filter(|(seq, _)| **seq <= saved)
        .map(|(_, batch)| ids[batch].to_string())
        .collect();
    assert!(acknowledged.len() >= 300);
    let lost: Vec<_> = acknowledged
        .iter()
        .filter(|id| !stored.contains(*id))
        .collect();
    assert!(lost.is_empty(), "{} acknowledged batches lost", lost.len());
    assert!(body["seq"].as_i64().unwrap() >= saved);
}

#[tokio::test]
async fn sqlite_loses_no_acknowledged_batch_to_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("squall.db").display());
    no_acknowledged_batch_is_lost_to_kill_9(url).await;
}

#[tokio::test]
async fn postgres_loses_no_acknowledged_batch_to_kill_9() {
    no_acknowledged_batch_is_lost_to_kill_9(common::pg_database().await).await;
}
