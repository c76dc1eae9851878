//! Imports (docs/import.md): any file, as a board document, an SQL schema or an OpenAPI
//! document, is a board or a clear refusal, never a panic; a board it makes is valid.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in ["board.json", "schema.sql", "api.yaml", "api.json"] {
        if let Ok(board) = squall_import::read(text, name) {
            // What an import makes exports and reads back as the same board.
            let document = squall_model::model::BoardDocument::new(board.clone());
            let text = serde_json::to_string(&document).unwrap();
            let again = squall_model::model::BoardDocument::read(&text).unwrap();
            assert_eq!(again, board);
        }
    }
});
