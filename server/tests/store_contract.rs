//! One contract, every store: the same tests run against SQLite and PostgreSQL.

mod common;

use std::sync::Arc;

use app::access::Role;
use app::model::{Board, Connection, Element, ElementKind, Op, new_id};
use app::sync::Entry;
use server::store::{BoardStore, StoreError, StoredBoard, StoredLink};

fn create(kind: ElementKind, label: &str) -> (uuid::Uuid, Op) {
    let element = Element::new(kind, label, 100.0, 200.0);
    (element.id, Op::CreateElement { element })
}

fn entry(seq: i64, ops: Vec<Op>) -> Entry {
    Entry {
        seq,
        client: None,
        ops,
    }
}

/// Three link rows with fresh, distinct hashes.
fn links() -> Vec<StoredLink> {
    Role::ALL
        .into_iter()
        .map(|role| StoredLink {
            role,
            generation: 0,
            token_hash: format!("{}-{}", role.as_str(), new_id()),
        })
        .collect()
}

async fn new_board(store: &dyn BoardStore) -> uuid::Uuid {
    let id = new_id();
    store
        .create_board(id, &Board::new("Online shop").unwrap(), &links())
        .await
        .unwrap();
    id
}

async fn a_created_board_loads_back_empty_at_sequence_zero(store: Arc<dyn BoardStore>) {
    let id = new_board(store.as_ref()).await;
    let stored = store.load_board(id).await.unwrap().unwrap();
    assert_eq!(stored.seq, 0);
    assert_eq!(stored.board, Board::new("Online shop").unwrap());
    assert!(store.client_batches(id).await.unwrap().is_empty());
}

async fn appended_batches_are_replayed_in_order_with_their_authors(store: Arc<dyn BoardStore>) {
    let id = new_board(store.as_ref()).await;
    let (command, op1) = create(ElementKind::Command, "Place Order");
    let (aggregate, op2) = create(ElementKind::Aggregate, "Order");
    let ada = new_id();
    let first = Entry {
        seq: 1,
        client: Some((ada, 7)),
        ops: vec![op1.clone(), op2.clone()],
    };
    store
        .append(id, std::slice::from_ref(&first), None)
        .await
        .unwrap();
    let arrow = Op::Connect {
        connection: Connection {
            id: new_id(),
            from: command,
            to: aggregate,
        },
    };
    let moved = Op::MoveElement {
        id: command,
        x: -40.0,
        y: 12.5,
    };
    let second = entry(2, vec![arrow.clone()]);
    let third = Entry {
        seq: 3,
        client: Some((ada, 9)),
        ops: vec![moved.clone()],
    };
    store
        .append(id, &[second.clone(), third.clone()], None)
        .await
        .unwrap();

    let stored = store.load_board(id).await.unwrap().unwrap();
    assert_eq!(stored.seq, 3);
    let mut expected = Board::new("Online shop").unwrap();
    expected.apply_all([op1, op2, arrow, moved]).unwrap();
    assert_eq!(stored.board, expected);
    assert_eq!(store.log_since(id, 1).await.unwrap(), vec![second, third]);
    let clients = store.client_batches(id).await.unwrap();
    assert_eq!(clients.get(&ada), Some(&9), "the last batch of each client");
}

async fn a_taken_or_skipped_sequence_number_stores_nothing(store: Arc<dyn BoardStore>) {
    let id = new_board(store.as_ref()).await;
    let (_, a) = create(ElementKind::DomainEvent, "Order Placed");
    let (_, b) = create(ElementKind::DomainEvent, "Order Shipped");
    let (_, c) = create(ElementKind::DomainEvent, "Order Paid");
    store.append(id, &[entry(1, vec![a])], None).await.unwrap();
    // Another process already stored 1: the whole append is refused, 2 included.
    let result = store
        .append(id, &[entry(1, vec![b.clone()]), entry(2, vec![c])], None)
        .await;
    assert!(matches!(result, Err(StoreError::SeqTaken(1))), "{result:?}");
    let result = store.append(id, &[entry(3, vec![b])], None).await;
    assert!(
        matches!(result, Err(StoreError::Corrupt(_))),
        "a gap: {result:?}"
    );
    let stored = store.load_board(id).await.unwrap().unwrap();
    assert_eq!((stored.seq, stored.board.elements().len()), (1, 1));
}

async fn an_unknown_board_is_not_found_everywhere(store: Arc<dyn BoardStore>) {
    let ghost = new_id();
    assert!(store.load_board(ghost).await.unwrap().is_none());
    let (_, op) = create(ElementKind::Actor, "Customer");
    assert!(matches!(
        store.append(ghost, &[entry(1, vec![op])], None).await,
        Err(StoreError::NotFound)
    ));
    assert!(!store.delete_board(ghost).await.unwrap());
}

async fn deleting_a_board_removes_it_and_its_log(store: Arc<dyn BoardStore>) {
    let id = new_board(store.as_ref()).await;
    let (_, op) = create(ElementKind::Policy, "Ship paid orders");
    let authored = Entry {
        seq: 1,
        client: Some((new_id(), 1)),
        ops: vec![op],
    };
    store.append(id, &[authored], None).await.unwrap();
    assert!(store.delete_board(id).await.unwrap());
    assert!(store.load_board(id).await.unwrap().is_none());
    assert!(store.log_since(id, 0).await.unwrap().is_empty());
    assert!(store.client_batches(id).await.unwrap().is_empty());
    let other = new_board(store.as_ref()).await;
    assert!(
        store.load_board(other).await.unwrap().is_some(),
        "other boards stay"
    );
}

async fn one_id_cannot_be_created_twice(store: Arc<dyn BoardStore>) {
    let id = new_board(store.as_ref()).await;
    let again = store
        .create_board(id, &Board::new("Copy").unwrap(), &links())
        .await;
    assert!(matches!(again, Err(StoreError::AlreadyExists)));
    assert_eq!(
        store.load_board(id).await.unwrap().unwrap().board.title(),
        "Online shop"
    );
}

async fn concurrent_writers_each_get_their_own_number(store: Arc<dyn BoardStore>) {
    // Like server processes sharing a database: read the end of the log, append after it,
    // and on a taken number read again.
    let id = new_board(store.as_ref()).await;
    let tasks: Vec<_> = (0..24)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let (_, op) = create(ElementKind::DomainEvent, &format!("Event {i}"));
                loop {
                    let seq = store.load_board(id).await.unwrap().unwrap().seq + 1;
                    match store
                        .append(id, &[entry(seq, vec![op.clone()])], None)
                        .await
                    {
                        Ok(()) => return seq,
                        Err(StoreError::SeqTaken(_)) => continue,
                        Err(e) => panic!("{e}"),
                    }
                }
            })
        })
        .collect();
    let mut seqs = Vec::new();
    for task in tasks {
        seqs.push(task.await.unwrap());
    }
    seqs.sort();
    assert_eq!(seqs, (1..=24).collect::<Vec<i64>>());
    let stored = store.load_board(id).await.unwrap().unwrap();
    assert_eq!((stored.seq, stored.board.elements().len()), (24, 24));
}

async fn a_snapshot_plus_the_log_after_it_is_the_board(store: Arc<dyn BoardStore>) {
    let id = new_board(store.as_ref()).await;
    let mut board = Board::new("Online shop").unwrap();
    for seq in 1..=5 {
        let (_, op) = create(ElementKind::ReadModel, &format!("View {seq}"));
        board.apply(op.clone()).unwrap();
        let snapshot = (seq == 3).then(|| StoredBoard {
            board: board.clone(),
            seq,
        });
        store
            .append(id, &[entry(seq, vec![op])], snapshot.as_ref())
            .await
            .unwrap();
    }
    // An older snapshot never replaces a newer one.
    let stale = StoredBoard {
        board: Board::new("Stale").unwrap(),
        seq: 2,
    };
    store.append(id, &[], Some(&stale)).await.unwrap();
    let stored = store.load_board(id).await.unwrap().unwrap();
    assert_eq!(stored, StoredBoard { board, seq: 5 });
}

async fn hostile_labels_are_stored_and_read_back_exactly(store: Arc<dyn BoardStore>) {
    let id = new_board(store.as_ref()).await;
    let labels = common::hostile_labels();
    let ops = labels
        .iter()
        .map(|l| create(ElementKind::DomainEvent, l).1)
        .collect();
    let mut board = Board::new("Online shop").unwrap();
    board.apply_all(Vec::clone(&ops)).unwrap();
    let snapshot = StoredBoard { board, seq: 1 };
    store
        .append(id, &[entry(1, ops)], Some(&snapshot))
        .await
        .unwrap();
    let stored = store.load_board(id).await.unwrap().unwrap();
    let mut read: Vec<&str> = stored.board.elements().map(|e| e.label.as_str()).collect();
    let mut expected: Vec<&str> = labels.iter().map(String::as_str).collect();
    read.sort();
    expected.sort();
    assert_eq!(read, expected);
}

async fn links_are_found_by_hash_and_replaced(store: Arc<dyn BoardStore>) {
    let id = new_id();
    let rows = links();
    store
        .create_board(id, &Board::new("Online shop").unwrap(), &rows)
        .await
        .unwrap();
    let view = rows.iter().find(|l| l.role == Role::View).unwrap();
    assert_eq!(
        store.find_link(&view.token_hash).await.unwrap(),
        Some((id, Role::View))
    );
    assert_eq!(store.find_link("no such hash").await.unwrap(), None);
    let rotated = StoredLink {
        role: Role::View,
        generation: 1,
        token_hash: format!("view-{}", new_id()),
    };
    store.replace_link(id, &rotated).await.unwrap();
    assert_eq!(
        store.find_link(&view.token_hash).await.unwrap(),
        None,
        "the old link is gone"
    );
    assert_eq!(
        store.find_link(&rotated.token_hash).await.unwrap(),
        Some((id, Role::View))
    );
    let mut stored = store.links(id).await.unwrap();
    stored.sort_by_key(|l| l.role);
    assert_eq!(stored.len(), 3);
    assert_eq!(stored[0], rotated);
    assert!(matches!(
        store.replace_link(new_id(), &rotated).await,
        Err(StoreError::NotFound)
    ));
    assert!(store.delete_board(id).await.unwrap());
    assert_eq!(store.find_link(&rotated.token_hash).await.unwrap(), None);
}

/// Runs every contract test above against one store constructor.
macro_rules! contract {
    ($backend:ident, $store:expr, [$($test:ident),* $(,)?]) => {
        mod $backend {
            $(
                #[tokio::test]
                async fn $test() {
                    #[allow(unused_variables)]
                    let (store, guard) = $store;
                    super::$test(store).await;
                }
            )*
        }
    };
}

macro_rules! every_contract_test {
    ($backend:ident, $store:expr) => {
        contract!(
            $backend,
            $store,
            [
                a_created_board_loads_back_empty_at_sequence_zero,
                appended_batches_are_replayed_in_order_with_their_authors,
                a_taken_or_skipped_sequence_number_stores_nothing,
                an_unknown_board_is_not_found_everywhere,
                deleting_a_board_removes_it_and_its_log,
                one_id_cannot_be_created_twice,
                concurrent_writers_each_get_their_own_number,
                a_snapshot_plus_the_log_after_it_is_the_board,
                hostile_labels_are_stored_and_read_back_exactly,
                links_are_found_by_hash_and_replaced,
            ]
        );
    };
}

every_contract_test!(sqlite, crate::common::sqlite_store().await);
every_contract_test!(postgres, (crate::common::pg_store().await, ()));
