//! OpenAPI imports (docs/import.md I4–I7).

use super::*;
use squall_model::semantic::Semantic;
use squall_model::semantic::rules::{self, Severity};

fn find<'b>(board: &'b Board, kind: ElementKind, label: &str) -> &'b Element {
    board
        .elements()
        .find(|e| e.kind == kind && e.label == label)
        .unwrap_or_else(|| panic!("no {kind:?} {label}"))
}

#[test]
fn i4_i5_the_petstore_becomes_commands_on_aggregates_and_read_models() {
    let board = read(
        include_str!("../../../../fixtures/petstore-openapi.yaml"),
        "x",
    )
    .unwrap();
    assert_eq!(board.title(), "Swagger Petstore - OpenAPI 3.0");
    let labels = |kind| {
        let mut v: Vec<String> = board
            .elements()
            .filter(|e| e.kind == kind)
            .map(|e| e.label.clone())
            .collect();
        v.sort();
        v
    };
    // `/store/order` is about orders (a component schema of that name); `/store/inventory` names
    // no schema, so its first segment.
    assert_eq!(
        labels(ElementKind::Aggregate),
        ["Order", "Pet", "Store", "User"]
    );
    assert_eq!(
        labels(ElementKind::Command),
        [
            "Add Pet",
            "Create User",
            "Create Users With List Input",
            "Delete Order",
            "Delete Pet",
            "Delete User",
            "Place Order",
            "Update Pet",
            "Update Pet With Form",
            "Update User",
            "Upload File"
        ]
    );
    assert_eq!(
        labels(ElementKind::ReadModel),
        [
            "Get Inventory",
            "Login User",
            "Logout User",
            "Order view",
            "Pet view",
            "User view"
        ]
    );
    let add = find(&board, ElementKind::Command, "Add Pet");
    assert_eq!(add.props.http_method, Some(HttpMethod::Post));
    assert_eq!(add.props.http_path.as_deref(), Some("/pet"));
    let fields: Vec<String> = add
        .props
        .fields
        .iter()
        .map(|f| format!("{}: {}", f.name, f.ty))
        .collect();
    assert_eq!(
        fields,
        [
            "id: Long",
            "name: String",
            "category: Category",
            "photoUrls: List<String>",
            "tags: List<Tag>",
            "status: enum(AVAILABLE, PENDING, SOLD)"
        ]
    );
    let pet = find(&board, ElementKind::Aggregate, "Pet");
    let model = Semantic::of(&board);
    assert_eq!(model.handler(add.id).map(|a| a.id), Some(pet.id));
    let place = find(&board, ElementKind::Command, "Place Order");
    let order = find(&board, ElementKind::Aggregate, "Order");
    assert_eq!(model.handler(place.id).map(|a| a.id), Some(order.id));
    // Path and query parameters are fields too.
    let delete = find(&board, ElementKind::Command, "Delete Pet");
    let fields: Vec<String> = delete
        .props
        .fields
        .iter()
        .map(|f| format!("{}: {}", f.name, f.ty))
        .collect();
    assert_eq!(fields, ["petId: Long"]);
    assert!(pet.props.fields.iter().any(|f| f.name == "id" && f.key));
    assert_eq!(model.contexts()[0].label, "Monolith");
    // I7: no errors beyond the expected ones: R11 for the value objects the board does not
    // define (Category, Tag), none other.
    let errors: Vec<String> = rules::check(&board)
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| format!("{} {}", p.rule.id(), p.message(&board)))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn i4_json_documents_and_api_prefixes() {
    let doc = r##"{"openapi": "3.1.0", "info": {"title": "Shop"}, "paths": {
        "/api/v1/orders/{orderId}/cancel": {"post": {"operationId": "cancel_order",
            "requestBody": {"content": {"application/json": {"schema": {"type": "object",
                "properties": {"reason": {"type": "string"}, "at": {"type": "string", "format": "date-time"}}}}}}}}}}"##;
    let board = read(doc, "x").unwrap();
    let cancel = find(&board, ElementKind::Command, "Cancel Order");
    assert_eq!(
        cancel.props.http_path.as_deref(),
        Some("/api/v1/orders/{orderId}/cancel")
    );
    let fields: Vec<String> = cancel
        .props
        .fields
        .iter()
        .map(|f| format!("{}: {}", f.name, f.ty))
        .collect();
    assert_eq!(fields, ["reason: String", "at: DateTime"]);
    find(&board, ElementKind::Aggregate, "Order");
}

#[test]
fn i7_bad_documents_are_refused_with_the_place() {
    let err = read("swagger: \"2.0\"\npaths: {}\n", "x").unwrap_err();
    assert!(err.reason.contains("Swagger 2.0"), "{err}");
    let err = read("openapi: 3.0.0\npaths:\n  /a: [unclosed\n", "x").unwrap_err();
    assert!(
        err.place.as_deref().unwrap_or("").starts_with("line "),
        "{err}"
    );
    let err = read("{\"openapi\": \"3.0.0\", \"paths\": {", "x").unwrap_err();
    assert!(err.place.is_some(), "{err}");
    let err = read("openapi: 3.0.0\ninfo: {title: t}\npaths: {}\n", "x").unwrap_err();
    assert!(err.reason.contains("nothing to import"), "{err}");
    let err = read(
        "openapi: 3.0.0\npaths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: 'https://evil.example/x.json'}\n",
        "x",
    )
    .unwrap_err();
    assert!(
        err.reason.contains("only references inside the document"),
        "{err}"
    );
    let err = read(
        "openapi: 3.0.0\npaths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/A'}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
        "x",
    )
    .unwrap_err();
    assert!(err.reason.contains("circle"), "{err}");
}
