//! One contract, every store: the same tests run against SQLite and PostgreSQL.

mod common;

use std::sync::Arc;

use app::model::{Board, Connection, Element, ElementKind, Op, Rejection, new_id};
use server::store::{BoardStore, StoreError};

fn create(kind: ElementKind, label: &str) -> (uuid::Uuid, Op) {
    let element = Element::new(kind, label, 100.0, 200.0);
    (element.id, Op::CreateElement { element })
}

async fn new_board(store: &dyn BoardStore) -> uuid::Uuid {
    let id = new_id();
    store
        .create_board(id, &Board::new("Online shop").unwrap())
        .await
        .unwrap();
    id
}

async fn a_created_board_loads_back_empty_at_sequence_zero(store: Arc<dyn BoardStore>) {
    let id = new_board(store.as_ref()).await;
    let stored = store.load_board(id).await.unwrap().unwrap();
    assert_eq!(stored.seq, 0);
    assert_eq!(stored.board, Board::new("Online shop").unwrap());
}

async fn operations_are_applied_in_order_numbered_and_logged(store: Arc<dyn BoardStore>) {
    let id = new_board(store.as_ref()).await;
    let (command, op1) = create(ElementKind::Command, "Place Order");
    let (aggregate, op2) = create(ElementKind::Aggregate, "Order");
    assert_eq!(
        store
            .apply_ops(id, vec![op1.clone(), op2.clone()])
            .await
            .unwrap(),
        2
    );
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
    assert_eq!(
        store
            .apply_ops(id, vec![arrow.clone(), moved.clone()])
            .await
            .unwrap(),
        4
    );

    let stored = store.load_board(id).await.unwrap().unwrap();
    assert_eq!(stored.seq, 4);
    let mut expected = Board::new("Online shop").unwrap();
    expected
        .apply_all([op1.clone(), op2.clone(), arrow.clone(), moved.clone()])
        .unwrap();
    assert_eq!(stored.board, expected);

    let log = store.ops_since(id, 1).await.unwrap();
    assert_eq!(log, vec![(2, op2), (3, arrow), (4, moved)]);
}

async fn a_rejected_batch_stores_nothing(store: Arc<dyn BoardStore>) {
    let id = new_board(store.as_ref()).await;
    let (_, good) = create(ElementKind::DomainEvent, "Order Placed");
    let ghost = new_id();
    let result = store
        .apply_ops(id, vec![good, Op::DeleteElement { id: ghost }])
        .await;
    assert!(matches!(
        result,
        Err(StoreError::Rejected { index: 1, rejection: Rejection::UnknownElement(g) }) if g == ghost
    ));
    let stored = store.load_board(id).await.unwrap().unwrap();
    assert_eq!((stored.seq, stored.board.elements().len()), (0, 0));
    assert!(store.ops_since(id, 0).await.unwrap().is_empty());
}

async fn an_unknown_board_is_not_found_everywhere(store: Arc<dyn BoardStore>) {
    let ghost = new_id();
    assert!(store.load_board(ghost).await.unwrap().is_none());
    let (_, op) = create(ElementKind::Actor, "Customer");
    assert!(matches!(
        store.apply_ops(ghost, vec![op]).await,
        Err(StoreError::NotFound)
    ));
    assert!(!store.delete_board(ghost).await.unwrap());
}

async fn deleting_a_board_removes_it_and_its_log(store: Arc<dyn BoardStore>) {
    let id = new_board(store.as_ref()).await;
    let (_, op) = create(ElementKind::Policy, "Ship paid orders");
    store.apply_ops(id, vec![op]).await.unwrap();
    assert!(store.delete_board(id).await.unwrap());
    assert!(store.load_board(id).await.unwrap().is_none());
    assert!(store.ops_since(id, 0).await.unwrap().is_empty());
    let other = new_board(store.as_ref()).await;
    assert!(
        store.load_board(other).await.unwrap().is_some(),
        "other boards stay"
    );
}

async fn one_id_cannot_be_created_twice(store: Arc<dyn BoardStore>) {
    let id = new_board(store.as_ref()).await;
    let again = store.create_board(id, &Board::new("Copy").unwrap()).await;
    assert!(matches!(again, Err(StoreError::AlreadyExists)));
    assert_eq!(
        store.load_board(id).await.unwrap().unwrap().board.title(),
        "Online shop"
    );
}

async fn concurrent_batches_on_one_board_all_land_in_one_order(store: Arc<dyn BoardStore>) {
    let id = new_board(store.as_ref()).await;
    let tasks: Vec<_> = (0..24)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let (_, op) = create(ElementKind::DomainEvent, &format!("Event {i}"));
                store.apply_ops(id, vec![op]).await.unwrap()
            })
        })
        .collect();
    let mut seqs = Vec::new();
    for task in tasks {
        seqs.push(task.await.unwrap());
    }
    seqs.sort();
    assert_eq!(
        seqs,
        (1..=24).collect::<Vec<i64>>(),
        "every batch got its own number"
    );
    let stored = store.load_board(id).await.unwrap().unwrap();
    assert_eq!((stored.seq, stored.board.elements().len()), (24, 24));
    assert_eq!(store.ops_since(id, 0).await.unwrap().len(), 24);
}

async fn hostile_labels_are_stored_and_read_back_exactly(store: Arc<dyn BoardStore>) {
    let id = new_board(store.as_ref()).await;
    let labels = common::hostile_labels();
    let ops = labels
        .iter()
        .map(|l| create(ElementKind::DomainEvent, l).1)
        .collect();
    store.apply_ops(id, ops).await.unwrap();
    let stored = store.load_board(id).await.unwrap().unwrap();
    let mut read: Vec<&str> = stored.board.elements().map(|e| e.label.as_str()).collect();
    let mut expected: Vec<&str> = labels.iter().map(String::as_str).collect();
    read.sort();
    expected.sort();
    assert_eq!(read, expected);
}

async fn renaming_a_board_is_stored(store: Arc<dyn BoardStore>) {
    let id = new_board(store.as_ref()).await;
    store
        .apply_ops(
            id,
            vec![Op::RenameBoard {
                title: "Shop v2".into(),
            }],
        )
        .await
        .unwrap();
    assert_eq!(
        store.load_board(id).await.unwrap().unwrap().board.title(),
        "Shop v2"
    );
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
                operations_are_applied_in_order_numbered_and_logged,
                a_rejected_batch_stores_nothing,
                an_unknown_board_is_not_found_everywhere,
                deleting_a_board_removes_it_and_its_log,
                one_id_cannot_be_created_twice,
                concurrent_batches_on_one_board_all_land_in_one_order,
                hostile_labels_are_stored_and_read_back_exactly,
                renaming_a_board_is_stored,
            ]
        );
    };
}

every_contract_test!(sqlite, crate::common::sqlite_store().await);
every_contract_test!(postgres, (crate::common::pg_store().await, ()));
