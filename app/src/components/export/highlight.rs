//! Syntax colouring for the export preview: a small lexer that knows the comment, string and
//! keyword rules of the languages Squall generates (Rust, Java, XML, TOML, YAML, SQL,
//! Dockerfile, nginx, JSON, Markdown). Pure, so it runs the same in the browser and in tests.

/// A run of text and its class (`""` for plain text).
pub type Span = (&'static str, String);

#[derive(Clone, Copy, PartialEq, Debug)]
enum Lang {
    Rust,
    Java,
    Xml,
    Toml,
    Yaml,
    Sql,
    Docker,
    Nginx,
    Json,
    Text,
}

fn lang(path: &str) -> Lang {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        _ if name == "Dockerfile" => Lang::Docker,
        Some("rs") => Lang::Rust,
        Some("java") => Lang::Java,
        Some("xml") => Lang::Xml,
        Some("toml") => Lang::Toml,
        Some("yaml" | "yml") => Lang::Yaml,
        Some("sql") => Lang::Sql,
        Some("conf") => Lang::Nginx,
        Some("json") => Lang::Json,
        _ => Lang::Text,
    }
}

const RUST: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "type", "use", "where",
    "while",
];
const JAVA: &[&str] = &[
    "abstract",
    "boolean",
    "break",
    "case",
    "catch",
    "class",
    "default",
    "else",
    "enum",
    "extends",
    "final",
    "finally",
    "for",
    "if",
    "implements",
    "import",
    "instanceof",
    "int",
    "interface",
    "long",
    "new",
    "null",
    "package",
    "private",
    "protected",
    "public",
    "record",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "throws",
    "true",
    "false",
    "try",
    "var",
    "void",
    "while",
    "yield",
];
const SQL: &[&str] = &[
    "CREATE",
    "TABLE",
    "IF",
    "NOT",
    "EXISTS",
    "PRIMARY",
    "KEY",
    "NULL",
    "DEFAULT",
    "SELECT",
    "INSERT",
    "INTO",
    "VALUES",
    "ON",
    "CONFLICT",
    "DO",
    "UPDATE",
    "SET",
    "WHERE",
    "FROM",
    "TEXT",
    "BIGINT",
    "JSONB",
    "TIMESTAMPTZ",
];
const DOCKER: &[&str] = &[
    "FROM",
    "AS",
    "RUN",
    "COPY",
    "WORKDIR",
    "ENV",
    "EXPOSE",
    "USER",
    "ENTRYPOINT",
    "CMD",
];
const NGINX: &[&str] = &[
    "events",
    "http",
    "server",
    "listen",
    "location",
    "proxy_pass",
    "proxy_set_header",
    "return",
    "resolver",
];
const LITERALS: &[&str] = &["true", "false", "null"];

fn keywords(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Rust => RUST,
        Lang::Java => JAVA,
        Lang::Xml => &[],
        Lang::Sql => SQL,
        Lang::Docker => DOCKER,
        Lang::Nginx => NGINX,
        Lang::Toml | Lang::Yaml | Lang::Json => LITERALS,
        Lang::Text => &[],
    }
}

fn line_comment(lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::Rust | Lang::Java => Some("//"),
        Lang::Sql => Some("--"),
        Lang::Toml | Lang::Yaml | Lang::Docker | Lang::Nginx => Some("#"),
        Lang::Json | Lang::Xml | Lang::Text => None,
    }
}

/// The file's text as classed runs: `kw`, `str`, `com`, `num`, `key` (YAML/TOML keys) or plain.
/// Concatenating the runs gives back the text exactly.
pub fn highlight(path: &str, text: &str) -> Vec<Span> {
    let lang = lang(path);
    let mut out: Vec<Span> = Vec::new();
    let push = |out: &mut Vec<Span>, class: &'static str, s: &str| {
        if s.is_empty() {
            return;
        }
        match out.last_mut() {
            Some((c, run)) if *c == class => run.push_str(s),
            _ => out.push((class, s.to_string())),
        }
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map_or(text.len(), |(b, _)| *b);
    let mut i = 0;
    let mut line_start = true;
    while i < chars.len() {
        let (b, c) = chars[i];
        let rest = &text[b..];
        if let Some(marker) = line_comment(lang)
            && rest.starts_with(marker)
            && (lang != Lang::Nginx && lang != Lang::Docker || line_start || marker != "#")
        {
            let end = rest.find('\n').map_or(text.len(), |n| b + n);
            push(&mut out, "com", &text[b..end]);
            i = chars.partition_point(|(x, _)| *x < end);
            continue;
        }
        if matches!(lang, Lang::Rust | Lang::Java) && rest.starts_with("/*") {
            let end = rest.find("*/").map_or(text.len(), |n| b + n + 2);
            push(&mut out, "com", &text[b..end]);
            i = chars.partition_point(|(x, _)| *x < end);
            continue;
        }
        if lang == Lang::Xml && rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(text.len(), |n| b + n + 3);
            push(&mut out, "com", &text[b..end]);
            i = chars.partition_point(|(x, _)| *x < end);
            continue;
        }
        if lang == Lang::Xml && c == '<' {
            // `<name`, `</name`, `<?xml`: the tag's name is the keyword.
            let mark = rest
                .chars()
                .take(2)
                .filter(|c| matches!(c, '<' | '/' | '?'))
                .count();
            let name_len: usize = rest[mark..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | ':' | '_'))
                .map(char::len_utf8)
                .sum();
            push(&mut out, "", &rest[..mark]);
            push(&mut out, "kw", &rest[mark..mark + name_len]);
            let end = b + mark + name_len;
            i = chars.partition_point(|(x, _)| *x < end);
            line_start = false;
            continue;
        }
        if lang == Lang::Rust && (rest.starts_with("r#\"") || rest.starts_with("r\"")) {
            let hashes = rest[1..].chars().take_while(|c| *c == '#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let open = 2 + hashes;
            let end = rest[open..]
                .find(&close)
                .map_or(text.len(), |n| b + open + n + close.len());
            push(&mut out, "str", &text[b..end]);
            i = chars.partition_point(|(x, _)| *x < end);
            continue;
        }
        if c == '"' || (c == '\'' && matches!(lang, Lang::Yaml | Lang::Sql)) {
            let mut j = i + 1;
            while j < chars.len() && chars[j].1 != c && chars[j].1 != '\n' {
                if chars[j].1 == '\\' && c == '"' {
                    j += 1;
                }
                j += 1;
            }
            let end = at((j + 1).min(chars.len()));
            push(&mut out, "str", &text[b..end]);
            i = chars.partition_point(|(x, _)| *x < end);
            line_start = false;
            continue;
        }
        if c.is_ascii_digit() {
            let mut j = i;
            while j < chars.len()
                && (chars[j].1.is_ascii_alphanumeric() || chars[j].1 == '_' || chars[j].1 == '.')
            {
                j += 1;
            }
            push(&mut out, "num", &text[b..at(j)]);
            i = j;
            line_start = false;
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let mut j = i;
            while j < chars.len()
                && (chars[j].1.is_alphanumeric() || matches!(chars[j].1, '_' | '-' | '.'))
            {
                j += 1;
            }
            // Rust and SQL words never contain '-' or '.': give those back.
            if matches!(
                lang,
                Lang::Rust | Lang::Java | Lang::Sql | Lang::Docker | Lang::Nginx
            ) {
                j = i + chars[i..j]
                    .iter()
                    .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
                    .count();
            }
            let word = &text[b..at(j)];
            let next = chars.get(j).map(|(_, c)| *c);
            let class = if matches!(lang, Lang::Yaml | Lang::Toml)
                && line_start_word(text, b)
                && matches!(next, Some(':' | ' ' | '='))
                && is_key(lang, text, at(j))
            {
                "key"
            } else if keywords(lang).contains(&word) {
                "kw"
            } else {
                ""
            };
            push(&mut out, class, word);
            i = j;
            line_start = false;
            continue;
        }
        let end = at(i + 1);
        push(&mut out, "", &text[b..end]);
        if c == '\n' {
            line_start = true;
        } else if !(c.is_whitespace() || (lang == Lang::Yaml && c == '-')) {
            line_start = false;
        }
        i += 1;
    }
    out
}

/// Whether the word at byte `b` is the first thing on its line (after indentation and a YAML
/// list dash).
fn line_start_word(text: &str, b: usize) -> bool {
    let line = &text[text[..b].rfind('\n').map_or(0, |n| n + 1)..b];
    line.chars().all(|c| c == ' ' || c == '-')
}

/// A YAML `key:` or a TOML `key =`.
fn is_key(lang: Lang, text: &str, after: usize) -> bool {
    let rest = text[after..].trim_start_matches(' ');
    match lang {
        Lang::Yaml => rest.starts_with(':'),
        _ => rest.starts_with('=') || rest.starts_with('.'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(path: &str, text: &str) -> Vec<(&'static str, String)> {
        highlight(path, text)
            .into_iter()
            .filter(|(c, _)| !c.is_empty())
            .collect()
    }

    #[test]
    fn runs_give_back_the_text_exactly() {
        for (path, text) in [
            (
                "a.rs",
                "fn main() { let s = r#\"x\"#; // ünïcode\n}\n/* open",
            ),
            ("a.yaml", "key: \"va\\\"l\" # c\n- name: 'x'\n"),
            ("Dockerfile", "FROM rust AS build\n# c\n"),
            ("x.txt", "주문됨 \"unterminated"),
            ("pom.xml", "<?xml v=\"1\"?>\n<a><!-- open"),
            ("A.java", "/* open \"s\" 주문됨"),
        ] {
            let joined: String = highlight(path, text).into_iter().map(|(_, s)| s).collect();
            assert_eq!(joined, text);
        }
    }

    #[test]
    fn each_language_gets_its_classes() {
        assert_eq!(
            classes("src/main.rs", "pub fn x() -> u8 { 42 } // done"),
            [
                ("kw", "pub".into()),
                ("kw", "fn".into()),
                ("num", "42".into()),
                ("com", "// done".into())
            ]
        );
        assert_eq!(
            classes("k8s.yaml", "  name: \"order\"\n  - port: 80"),
            [
                ("key", "name".into()),
                ("str", "\"order\"".into()),
                ("key", "port".into()),
                ("num", "80".into())
            ]
        );
        assert_eq!(
            classes("m.sql", "CREATE TABLE \"t\" -- c"),
            [
                ("kw", "CREATE".into()),
                ("kw", "TABLE".into()),
                ("str", "\"t\"".into()),
                ("com", "-- c".into()),
            ]
        );
        assert_eq!(
            classes("Cargo.toml", "name = \"x\""),
            [("key", "name".into()), ("str", "\"x\"".into())]
        );
        assert_eq!(
            classes("A.java", "public record X(String a) { } /** doc */ // c"),
            [
                ("kw", "public".into()),
                ("kw", "record".into()),
                ("com", "/** doc */".into()),
                ("com", "// c".into())
            ]
        );
        assert_eq!(
            classes("pom.xml", "<!-- c --><artifactId a=\"b\">x</artifactId>"),
            [
                ("com", "<!-- c -->".into()),
                ("kw", "artifactId".into()),
                ("str", "\"b\"".into()),
                ("kw", "artifactId".into())
            ]
        );
    }
}
