//! Names in generated code (server/codegen/src/names.rs): any label becomes an identifier the
//! target languages accept, never empty, never a keyword.
#![no_main]

use libfuzzer_sys::fuzz_target;
use squall_codegen::names;

fn ascii_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn dns_label(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

fuzz_target!(|data: &[u8]| {
    let Ok(label) = std::str::from_utf8(data) else {
        return;
    };
    for kind in ["aggregate", "command", "event"] {
        let type_name = names::type_name(label, kind);
        assert!(ascii_identifier(&type_name), "{label:?} → {type_name:?}");
        let snake = names::snake_name(label, kind);
        assert!(ascii_identifier(&snake), "{label:?} → {snake:?}");
        assert_eq!(snake, snake.to_lowercase(), "{label:?} → {snake:?}");
        let dns = names::dns_name(label, kind);
        assert!(dns_label(&dns), "{label:?} → {dns:?}");
        let java = names::java_type_name(&type_name, kind);
        assert!(ascii_identifier(&java), "{label:?} → {java:?}");
        let member = names::java_member_name(&snake);
        assert!(ascii_identifier(&member), "{label:?} → {member:?}");
    }
});
