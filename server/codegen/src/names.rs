//! Names for generated code from sticky labels in any script. Every function here is pure and
//! stable: the same label gives the same name in every export. Code identifiers and
//! infrastructure names (crates, Kubernetes objects, topics, paths, files) are always ASCII;
//! non-Latin labels are transliterated (deunicode), and a label with nothing left gets a kind
//! prefix and a short hash of the label.

use std::collections::HashSet;

use sha2::{Digest, Sha256};

/// Words strict Rust reserves, plus prelude names generated code relies on.
const RUST_RESERVED: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "union",
];
const RUST_RESERVED_TYPES: &[&str] = &[
    "Self",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Ok",
    "Err",
    "Some",
    "None",
    "Uuid",
    "Json",
    "State",
    "Router",
    "Event",
    "Command",
    "Error",
    "Issued",
    "DomainError",
    "Serialize",
    "Deserialize",
];

/// The ASCII words of a label: transliterated, split at anything that is not a letter or digit
/// and at lower-to-upper case changes (`OrderPlaced` → order, placed), lower-cased.
pub fn words(label: &str) -> Vec<String> {
    split_words(&deunicode::deunicode(label), |c| c.is_ascii_alphanumeric())
}

/// `text` split into lower-cased words of `word` characters, also at lower-to-upper changes.
fn split_words(text: &str, word: impl Fn(char) -> bool) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in text.chars() {
        if word(c) {
            if c.is_uppercase() && previous_lower && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = !c.is_uppercase();
            current.extend(c.to_lowercase());
        } else {
            previous_lower = false;
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Six hex digits of the label's SHA-256: the stable fallback when no word is left.
fn short_hash(label: &str) -> String {
    Sha256::digest(label.as_bytes())
        .iter()
        .take(3)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The words of `label`, or `[prefix, hash]` when it has none; a leading digit gets `prefix`
/// in front (identifiers and DNS labels start with a letter).
fn name_words(label: &str, prefix: &str) -> Vec<String> {
    let mut w = words(label);
    if w.is_empty() {
        return vec![prefix.to_ascii_lowercase(), short_hash(label)];
    }
    if w[0].starts_with(|c: char| c.is_ascii_digit()) {
        w.insert(0, prefix.to_ascii_lowercase());
    }
    w
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// `Order placed` → `OrderPlaced`: a Rust type name (never a keyword or a prelude name).
pub fn type_name(label: &str, kind: &str) -> String {
    let name: String = name_words(label, kind)
        .iter()
        .map(|w| capitalized(w))
        .collect();
    if RUST_RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}{}", capitalized(kind))
    } else {
        name
    }
}

/// `Order placed` → `order_placed`: a Rust field, function or module name.
pub fn snake_name(label: &str, kind: &str) -> String {
    let name = name_words(label, kind).join("_");
    if RUST_RESERVED.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Which script code identifiers are written in. Infrastructure names (crates, topics, paths,
/// Kubernetes objects, tables, wire type names) are ASCII either way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Identifiers {
    /// Transliterated: `주문됨` → `Jumundoem`.
    #[default]
    Ascii,
    /// The team's own words where Rust allows them (Unicode identifiers): `주문됨` → `주문됨`.
    Native,
}

impl std::str::FromStr for Identifiers {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "ascii" => Ok(Self::Ascii),
            "native" => Ok(Self::Native),
            other => Err(format!(
                "unknown identifiers {other:?}; use ascii or native"
            )),
        }
    }
}

/// The words of a label in its own script: split at anything that cannot continue a Rust
/// identifier and at lower-to-upper case changes, lower-cased.
fn native_words(label: &str) -> Vec<String> {
    split_words(label, |c| c != '_' && unicode_ident::is_xid_continue(c))
}

/// The label's words when they make an identifier that keeps non-ASCII letters; `None` when the
/// ASCII name is the same thing (no non-ASCII letters) or no identifier can start with them.
fn native_name_words(label: &str, prefix: &str) -> Option<Vec<String>> {
    let mut w = native_words(label);
    if w.is_empty() || w.iter().all(|w| w.is_ascii()) {
        return None;
    }
    if !w[0].starts_with(unicode_ident::is_xid_start) {
        w.insert(0, prefix.to_ascii_lowercase());
    }
    Some(w)
}

/// `type_name` in the label's own script (`주문됨` → `주문됨`, `Überweisung` → `Überweisung`).
pub fn native_type_name(label: &str, kind: &str) -> String {
    let Some(words) = native_name_words(label, kind) else {
        return type_name(label, kind);
    };
    let name: String = words
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect();
    if RUST_RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}{}", capitalized(kind))
    } else {
        name
    }
}

/// `snake_name` in the label's own script (`결제 이력` → `결제_이력`).
pub fn native_snake_name(label: &str, kind: &str) -> String {
    match native_name_words(label, kind) {
        Some(words) => words.join("_"),
        None => snake_name(label, kind),
    }
}

/// `Order placed` → `order-placed`: a DNS-1123 label (Kubernetes names, crate names, topics,
/// URL paths, file names): lower-case ASCII letters, digits and dashes, starts with a letter,
/// ends with a letter or digit, at most 63 characters.
pub fn dns_name(label: &str, kind: &str) -> String {
    let mut name = name_words(label, kind).join("-");
    if name.len() > 63 {
        // Keep it unique after cutting: the hash of the whole label replaces the tail.
        name.truncate(56);
        let name = name.trim_end_matches('-');
        return format!("{name}-{}", short_hash(label));
    }
    name
}

/// `a-b` as a DNS label: if it is too long, cut and made unique by a hash of the whole.
pub fn dns_join(a: &str, b: &str) -> String {
    let full = format!("{a}-{b}");
    if full.len() <= 63 {
        return full;
    }
    let cut = full[..56].trim_end_matches('-');
    format!("{cut}-{}", short_hash(&full))
}

/// Words Java reserves (keywords, literals, contextual keywords) and `Object`'s methods, which
/// a record component of the same name would clash with.
const JAVA_RESERVED: &[&str] = &[
    "abstract",
    "assert",
    "boolean",
    "break",
    "byte",
    "case",
    "catch",
    "char",
    "class",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extends",
    "final",
    "finally",
    "float",
    "for",
    "goto",
    "if",
    "implements",
    "import",
    "instanceof",
    "int",
    "interface",
    "long",
    "native",
    "new",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "short",
    "static",
    "strictfp",
    "super",
    "switch",
    "synchronized",
    "this",
    "throw",
    "throws",
    "transient",
    "try",
    "void",
    "volatile",
    "while",
    "true",
    "false",
    "null",
    "var",
    "yield",
    "record",
    "sealed",
    "permits",
    "when",
    "_",
    "clone",
    "finalize",
    "getClass",
    "hashCode",
    "notify",
    "notifyAll",
    "toString",
    "wait",
    "equals",
];

/// Simple type names generated Java uses unqualified: `java.lang`'s, those it imports, and its
/// own fixed classes. A type of the board with such a name gets its kind as a suffix.
const JAVA_RESERVED_TYPES: &[&str] = &[
    "Object",
    "String",
    "Integer",
    "Long",
    "Double",
    "Boolean",
    "Character",
    "Byte",
    "Short",
    "Float",
    "Number",
    "Math",
    "System",
    "Thread",
    "Runtime",
    "Class",
    "Enum",
    "Record",
    "Void",
    "Iterable",
    "Comparable",
    "Exception",
    "RuntimeException",
    "Error",
    "Override",
    "Deprecated",
    "SuppressWarnings",
    "FunctionalInterface",
    "SafeVarargs",
    "Throwable",
    "Process",
    "Module",
    "Package",
    "StringBuilder",
    "List",
    "Map",
    "Set",
    "Optional",
    "UUID",
    "Instant",
    "LocalDate",
    "JsonNode",
    "ObjectMapper",
    "Event",
    "Command",
    "Commands",
    "Events",
    "Aggregates",
    "ReadModels",
    "Policies",
    "Api",
    "Application",
    "Clients",
    "Outbox",
    "Processed",
    "Handler",
    "DomainException",
    "NotFound",
    "Reaction",
    "Locate",
    "Json",
    "Messaging",
    "Wire",
];

/// A Java type name from a board type's name (`OrderPlaced`, or `주문됨` with native
/// identifiers): never a keyword or a name generated Java uses for something else.
pub fn java_type_name(type_name: &str, kind: &str) -> String {
    if JAVA_RESERVED_TYPES.contains(&type_name) || JAVA_RESERVED.contains(&type_name) {
        format!("{type_name}{}", capitalized(kind))
    } else if type_name.chars().count() > 64 {
        // A class file's name (`Events$<Name>.class`) must fit in 255 bytes: cut, and keep it
        // unique with a hash of the whole name.
        let head: String = type_name.chars().take(56).collect();
        format!("{head}{}", capitalized(&short_hash(type_name)))
    } else {
        type_name.to_string()
    }
}

/// A Java field, method or parameter name from a snake name (`customer_id` → `customerId`,
/// `결제_이력` → `결제이력`): never a keyword or one of `Object`'s methods.
pub fn java_member_name(snake: &str) -> String {
    let mut out = String::new();
    for (i, word) in snake.split('_').filter(|w| !w.is_empty()).enumerate() {
        if i == 0 {
            out.push_str(word);
        } else {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'f');
    }
    if JAVA_RESERVED.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// A Java package segment from a DNS name (`order-flow` → `order_flow`): lower-case ASCII,
/// never a keyword.
pub fn java_package(dns: &str) -> String {
    let mut out: String = dns
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 's');
    }
    if JAVA_RESERVED.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// An SQL table or column name from a snake name: at most 63 bytes (PostgreSQL cuts longer
/// ones silently, so two long names could meet), cut and kept unique with a hash.
pub fn sql_name(snake: &str) -> String {
    if snake.len() <= 63 {
        return snake.to_string();
    }
    let mut head = snake[..56].to_string();
    while !head.is_char_boundary(head.len()) {
        head.pop();
    }
    format!("{}_{}", head.trim_end_matches('_'), short_hash(snake))
}

/// Hands out names unique within one scope: a second `order` becomes `order2`, and so on.
#[derive(Debug, Default)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// An identifier: `base`, or `base` with the smallest number that makes it unique.
    pub fn unique(&mut self, base: String) -> String {
        self.first_free(base, |base, n| format!("{base}{n}"))
    }

    /// A DNS name: `base`, or `base-2`, `base-3`, … (kept within 63 characters).
    pub fn unique_dns(&mut self, base: String) -> String {
        self.first_free(base, |base, n| {
            let suffix = format!("-{n}");
            let keep = base.len().min(63 - suffix.len());
            format!("{}{suffix}", base[..keep].trim_end_matches('-'))
        })
    }

    fn first_free(&mut self, base: String, numbered: impl Fn(&str, u32) -> String) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        (2..)
            .map(|n| numbered(&base, n))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("some number is free")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_identifiers_keep_the_teams_words_where_rust_allows() {
        assert_eq!(native_type_name("주문됨", "event"), "주문됨");
        assert_eq!(native_snake_name("결제 이력", "read model"), "결제_이력");
        assert_eq!(
            native_type_name("Überweisung ausgeführt", "event"),
            "ÜberweisungAusgeführt"
        );
        assert_eq!(
            native_type_name("Order placed", "event"),
            "OrderPlaced",
            "ASCII: as before"
        );
        assert_eq!(native_type_name("1차 결제", "event"), "Event1차결제");
        assert_eq!(
            native_snake_name("!!!", "field"),
            snake_name("!!!", "field")
        );
    }

    fn is_rust_ident(s: &str) -> bool {
        let mut chars = s.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !RUST_RESERVED.contains(&s)
    }

    fn is_dns_label(s: &str) -> bool {
        !s.is_empty()
            && s.len() <= 63
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.contains("--")
    }

    #[test]
    fn labels_become_names_in_each_convention() {
        assert_eq!(type_name("Order placed", "event"), "OrderPlaced");
        assert_eq!(snake_name("Order placed", "event"), "order_placed");
        assert_eq!(dns_name("Order placed", "event"), "order-placed");
        assert_eq!(type_name("orderPlaced", "event"), "OrderPlaced");
        assert_eq!(snake_name("HTTPServer ready", "event"), "httpserver_ready");
        assert_eq!(
            type_name("3rd party payment", "command"),
            "Command3rdPartyPayment"
        );
        assert_eq!(snake_name("type", "field"), "type_");
        assert_eq!(type_name("Result", "aggregate"), "ResultAggregate");
        assert_eq!(
            dns_name("  Billing & Invoicing!! ", "context"),
            "billing-invoicing"
        );
    }

    #[test]
    fn any_script_becomes_ascii_and_stays_stable() {
        let korean = dns_name("주문됨", "event");
        assert!(is_dns_label(&korean), "{korean}");
        assert_eq!(korean, dns_name("주문됨", "event"), "stable across exports");
        assert_ne!(dns_name("결제이력", "read"), korean);
        // Nothing transliterable: kind prefix and a hash of the label.
        let symbols = dns_name("→→→", "event");
        assert!(
            symbols.starts_with("event-") && is_dns_label(&symbols),
            "{symbols}"
        );
        assert_ne!(symbols, dns_name("←←←", "event"));
    }

    #[test]
    fn every_hostile_label_gives_valid_names() {
        let labels = include_str!("../../../fixtures/hostile-labels.txt");
        for label in labels.lines().filter(|l| !l.starts_with('#')) {
            let t = type_name(label, "aggregate");
            let s = snake_name(label, "field");
            let d = dns_name(label, "service");
            assert!(is_rust_ident(&t), "{label:?} → {t:?}");
            assert!(is_rust_ident(&s), "{label:?} → {s:?}");
            assert!(is_dns_label(&d), "{label:?} → {d:?}");
        }
        let long = "word ".repeat(40);
        assert!(is_dns_label(&dns_name(&long, "service")));
        let joined = dns_join(&dns_name(&long, "service"), &dns_name(&long, "event"));
        assert!(is_dns_label(&joined), "{joined}");
        assert_ne!(joined, dns_join(&dns_name(&long, "service"), "other"));
    }

    #[test]
    fn java_names_avoid_keywords_and_the_names_generated_java_uses() {
        assert_eq!(java_type_name("OrderPlaced", "event"), "OrderPlaced");
        assert_eq!(java_type_name("String", "aggregate"), "StringAggregate");
        assert_eq!(java_type_name("Event", "event"), "EventEvent");
        let long = "VeryLongLabel".repeat(20);
        let cut = java_type_name(&long, "event");
        assert!(cut.len() <= 64 && cut.starts_with("VeryLongLabel"), "{cut}");
        assert_ne!(
            cut,
            java_type_name(&format!("{long}2"), "event"),
            "still unique"
        );
        assert_eq!(java_member_name("customer_id"), "customerId");
        assert_eq!(java_member_name("class"), "class_");
        assert_eq!(java_member_name("hash_code"), "hashCode_");
        assert_eq!(java_member_name("결제_이력"), "결제이력");
        assert_eq!(java_package("order-flow"), "order_flow");
        assert_eq!(java_package("new"), "new_");
        for label in HOSTILE_SAMPLE {
            let member = java_member_name(&snake_name(label, "field"));
            assert!(is_java_ident(&member), "{label:?} → {member:?}");
            let ty = java_type_name(&type_name(label, "event"), "event");
            assert!(is_java_ident(&ty), "{label:?} → {ty:?}");
            let package = java_package(&dns_name(label, "context"));
            assert!(
                is_java_ident(&package) && package.is_ascii(),
                "{label:?} → {package:?}"
            );
        }
    }

    /// Java's rule for an identifier (letters as Unicode defines them), and not reserved.
    fn is_java_ident(s: &str) -> bool {
        let mut chars = s.chars();
        chars
            .next()
            .is_some_and(|c| c == '_' || c == '$' || c.is_alphabetic())
            && chars.all(|c| c == '_' || c == '$' || c.is_alphanumeric())
            && !JAVA_RESERVED.contains(&s)
    }

    /// Labels that have broken names before.
    const HOSTILE_SAMPLE: &[&str] = &[
        "class",
        "hashCode",
        "1st order",
        "주문됨",
        "",
        "   ",
        "String",
        "new",
        "_",
        "__",
        "a-b_c d",
        "\\u0041",
        "Ωmega",
        "default",
        "Record",
    ];

    #[test]
    fn a_scope_makes_duplicates_unique() {
        let mut scope = Scope::default();
        assert_eq!(scope.unique("OrderPlaced".into()), "OrderPlaced");
        assert_eq!(scope.unique("OrderPlaced".into()), "OrderPlaced2");
        let mut dns = Scope::default();
        assert_eq!(dns.unique_dns("order-placed".into()), "order-placed");
        assert_eq!(dns.unique_dns("order-placed".into()), "order-placed-2");
        let mut snake = Scope::default();
        assert_eq!(snake.unique("order".into()), "order");
        assert_eq!(snake.unique("order".into()), "order2");
        let long = "a".repeat(63);
        let mut dns = Scope::default();
        dns.unique_dns(long.clone());
        assert_eq!(dns.unique_dns(long).len(), 63);
    }
}
