//! SQL imports (docs/import.md I1–I3, I7).

use super::*;
use squall_model::model::Board;
use squall_model::semantic::Semantic;
use squall_model::semantic::rules::{self, Severity};

fn aggregate<'b>(board: &'b Board, label: &str) -> &'b Element {
    board
        .elements()
        .find(|e| e.kind == ElementKind::Aggregate && e.label == label)
        .unwrap_or_else(|| panic!("no aggregate {label}"))
}

fn refers(board: &Board, from: &str, to: &str) -> bool {
    let (a, b) = (aggregate(board, from).id, aggregate(board, to).id);
    board.connections().any(|c| c.from == a && c.to == b)
}

#[test]
fn i1_i2_pagila_becomes_aggregates_with_typed_fields_keys_and_references() {
    let board = read(
        include_str!("../../../../fixtures/pagila-schema.sql"),
        "pagila",
    )
    .unwrap();
    let aggregates: Vec<&Element> = board
        .elements()
        .filter(|e| e.kind == ElementKind::Aggregate)
        .collect();
    // Partitions (ALTER TABLE … ATTACH PARTITION) are their parent's rows: one Payment.
    let sql = include_str!("../../../../fixtures/pagila-schema.sql");
    let tables = sql.matches("CREATE TABLE public.").count();
    let partitions = sql.matches(" ATTACH PARTITION ").count();
    assert_eq!((tables, partitions), (71, 55));
    assert_eq!(aggregates.len(), tables - partitions);
    assert!(!aggregates.iter().any(|a| a.label.starts_with("Payment P")));
    let payment = aggregate(&board, "Payment");
    let keys: Vec<&str> = payment
        .props
        .fields
        .iter()
        .filter(|f| f.key)
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(
        keys,
        ["paymentId"],
        "the key named after the table, not the partition column"
    );
    assert!(refers(&board, "Payment", "Customer"));
    let film = aggregate(&board, "Film");
    let field = |name: &str| film.props.fields.iter().find(|f| f.name == name).unwrap();
    assert_eq!(field("filmId").ty, FieldType::Integer);
    assert!(
        field("filmId").key,
        "the primary key (ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY)"
    );
    assert_eq!(field("title").ty, FieldType::String);
    assert_eq!(field("rentalRate").ty, FieldType::Money);
    assert_eq!(
        field("lengthHours").ty,
        FieldType::Double,
        "a decimal not named as money"
    );
    assert_eq!(
        field("lengthHours").ty,
        FieldType::Double,
        "a decimal not named as money"
    );
    assert_eq!(field("lastUpdate").ty, FieldType::DateTime);
    assert_eq!(
        field("specialFeatures").ty,
        FieldType::List(Box::new(FieldType::String))
    );
    assert!(refers(&board, "Film Actor", "Film"));
    assert!(refers(&board, "Film Actor", "Actor"));
    assert!(refers(&board, "Customer", "Address"));
    assert!(refers(&board, "Address", "City"));
    // I3: everything in one frame, marked as the monolith.
    let model = Semantic::of(&board);
    let frames = model.contexts();
    assert_eq!(frames.len(), 1);
    assert_eq!(frames[0].label, "Monolith");
    assert!(
        aggregates
            .iter()
            .all(|a| model.context_of(a.id) == Some(frames[0].id))
    );
    // I7: the model check finds no errors (aggregates without commands are warnings to storm on).
    let errors: Vec<String> = rules::check(&board)
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.message(&board))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn i1_a_mysql_dump_with_backticks_inline_keys_and_enums() {
    let sql = "/*!40101 SET NAMES utf8 */;\n\
        CREATE TABLE `customer` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `email` varchar(50),\n  `tier` enum('gold','silver') NOT NULL,\n  `vip` tinyint(1) DEFAULT 0,\n  PRIMARY KEY (`id`),\n  KEY `idx_email` (`email`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\
        CREATE TABLE `orders` (\n  `id` bigint NOT NULL,\n  `customer_id` int NOT NULL,\n  `placed_at` datetime,\n  PRIMARY KEY (`id`),\n  CONSTRAINT `fk_c` FOREIGN KEY (`customer_id`) REFERENCES `customer` (`id`)\n) ENGINE=InnoDB;\n";
    let board = read(sql, "shop").unwrap();
    let customer = aggregate(&board, "Customer");
    let names: Vec<(String, String, bool)> = customer
        .props
        .fields
        .iter()
        .map(|f| (f.name.clone(), f.ty.to_string(), f.key))
        .collect();
    assert_eq!(
        names,
        [
            ("id".to_string(), "Integer".to_string(), true),
            ("email".to_string(), "String".to_string(), false),
            ("tier".to_string(), "enum(GOLD, SILVER)".to_string(), false),
            ("vip".to_string(), "Boolean".to_string(), false),
        ]
    );
    assert_eq!(
        aggregate(&board, "Order").props.fields[0].ty,
        FieldType::Long
    );
    assert!(refers(&board, "Order", "Customer"));
    assert_eq!(board.connections().count(), 1);
}

#[test]
fn i7_bad_files_are_refused_with_the_place_and_nothing_is_built() {
    let err = read("SELECT 1;", "x").unwrap_err();
    assert!(err.reason.contains("no CREATE TABLE"), "{err}");
    let err = read(
        "CREATE TABLE a (id int);\n\nCREATE TABLE b (id int,, name text);",
        "x",
    )
    .unwrap_err();
    assert_eq!(err.place.as_deref(), Some("line 3, column 24"), "{err}");
    let err = read("CREATE TABLE a (id int);\nCREATE TABLE A (id int);", "x").unwrap_err();
    assert!(err.reason.contains("created twice"), "{err}");
    let err = read("CREATE TABLE a (name text DEFAULT 'unterminated);", "x").unwrap_err();
    assert!(
        err.place
            .as_deref()
            .unwrap_or("")
            .starts_with("line 1, column"),
        "{err}"
    );
    // A PostgreSQL schema with a backtick in a comment and a quoted name stays PostgreSQL.
    let board = read(
        "-- uses `backticks` here\nCREATE TABLE \"user name\" (id int PRIMARY KEY);",
        "x",
    )
    .unwrap();
    assert!(board.elements().any(|e| e.label == "User Name"));
    // Hostile names are labels, shown as text; a control character cannot reach a label.
    let board = read(
        "CREATE TABLE \"<script>alert(1)</script>\" (\"id\" int PRIMARY KEY);",
        "x",
    )
    .unwrap();
    assert!(board.elements().any(|e| e.label.contains("<script>")));
    let wide: String = (0..250)
        .map(|i| format!("c{i} int"))
        .collect::<Vec<_>>()
        .join(", ");
    let err = read(&format!("CREATE TABLE wide ({wide});"), "x").unwrap_err();
    assert!(err.reason.contains("250 fields"), "{err}");
}

#[test]
fn i1_partitions_are_their_parents_rows() {
    let sql = "CREATE TABLE measurement (id bigint, city_id int REFERENCES city (id), logdate date, PRIMARY KEY (logdate, id)) PARTITION BY RANGE (logdate);\n\
        CREATE TABLE city (id int PRIMARY KEY, name text);\n\
        CREATE TABLE measurement_y2024 PARTITION OF measurement FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n";
    let board = read(sql, "x").unwrap();
    let labels: Vec<&str> = board
        .elements()
        .filter(|e| e.kind == ElementKind::Aggregate)
        .map(|e| e.label.as_str())
        .collect();
    assert_eq!(labels, ["Measurement", "City"]);
    let keys: Vec<&str> = aggregate(&board, "Measurement")
        .props
        .fields
        .iter()
        .filter(|f| f.key)
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(keys, ["id"]);
    assert!(refers(&board, "Measurement", "City"));
}
