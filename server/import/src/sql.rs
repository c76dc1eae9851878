//! SQL schema dumps (docs/import.md I1–I3): every `CREATE TABLE` becomes an aggregate candidate
//! with typed fields and its key, every foreign key (inline, as a table constraint, or added by
//! `ALTER TABLE … ADD … FOREIGN KEY`) an arrow "refers to" between the two. The text is split
//! into statements by sqlparser's tokenizer (so semicolons in strings, comments and `$$` bodies
//! do not cut), and only table statements are parsed: a full `pg_dump --schema-only` or
//! `mysqldump --no-data` with its functions, grants and settings reads as well as a hand-written
//! file.

use std::collections::BTreeMap;

use sqlparser::ast::{
    AlterTableOperation, ColumnOption, Expr, ObjectName, ObjectNamePart, Statement, TableConstraint,
};
use sqlparser::dialect::{Dialect, GenericDialect, MySqlDialect, PostgreSqlDialect};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};
use squall_model::model::{Element, ElementKind, Field, FieldType};

use crate::{Builder, ImportError, field_name, label_of};

const KIND: &str = "SQL schema";

struct Table {
    name: String,
    line: u64,
    columns: Vec<(String, FieldType)>,
    primary: Vec<String>,
}

struct ForeignKey {
    table: String,
    foreign_table: String,
}

/// Reads an SQL schema as a board titled `title`.
pub fn read(text: &str, title: &str) -> Result<squall_model::model::Board, ImportError> {
    let dialect: Box<dyn Dialect> = if looks_like_mysql(text)? {
        Box::new(MySqlDialect {})
    } else {
        Box::new(PostgreSqlDialect {})
    };
    let tokens = Tokenizer::new(&*dialect, text)
        .tokenize_with_location()
        .map_err(tokenizer_error)?;
    let mut tables: Vec<Table> = Vec::new();
    let mut keys: Vec<ForeignKey> = Vec::new();
    // Partitions (`CREATE TABLE c PARTITION OF p`, `ALTER TABLE p ATTACH PARTITION c`) are
    // their parent's rows, not tables of their own.
    let mut partitions: BTreeMap<String, String> = BTreeMap::new();
    for mut statement in statements(tokens) {
        if let Some((child, parent)) = partition(&statement) {
            partitions.insert(child.to_lowercase(), parent);
            continue;
        }
        virtual_as_stored(&mut statement);
        let Some(line) = table_statement(&statement) else {
            continue;
        };
        let parsed = Parser::new(&*dialect)
            .with_tokens_with_locations(statement)
            .parse_statement()
            .map_err(|e| {
                let (place, reason) = located(&e.to_string(), line);
                ImportError::new(KIND, Some(place), reason)
            })?;
        match parsed {
            Statement::CreateTable(t) => {
                let name = last_part(&t.name);
                let mut table = Table {
                    name: name.clone(),
                    line,
                    columns: Vec::new(),
                    primary: Vec::new(),
                };
                for c in &t.columns {
                    table
                        .columns
                        .push((c.name.value.clone(), field_type(&c.data_type.to_string())));
                    for option in &c.options {
                        match &option.option {
                            ColumnOption::PrimaryKey(_) => table.primary.push(c.name.value.clone()),
                            ColumnOption::ForeignKey(fk) => keys.push(ForeignKey {
                                table: name.clone(),
                                foreign_table: last_part(&fk.foreign_table),
                            }),
                            _ => {}
                        }
                    }
                }
                for constraint in &t.constraints {
                    constrain(&mut table.primary, &mut keys, &name, constraint);
                }
                if tables.iter().any(|x| x.name.eq_ignore_ascii_case(&name)) {
                    return Err(ImportError::new(
                        KIND,
                        Some(format!("line {line}")),
                        format!("table {name} is created twice"),
                    ));
                }
                tables.push(table);
            }
            Statement::AlterTable(alter) => {
                let name = last_part(&alter.name);
                let mut primary = Vec::new();
                for op in &alter.operations {
                    if let AlterTableOperation::AddConstraint { constraint, .. } = op {
                        constrain(&mut primary, &mut keys, &name, constraint);
                    }
                }
                if let Some(t) = tables
                    .iter_mut()
                    .find(|t| t.name.eq_ignore_ascii_case(&name))
                {
                    t.primary.extend(primary);
                }
            }
            _ => {}
        }
    }
    // A partition's foreign keys are its parent's.
    tables.retain(|t| !partitions.contains_key(&t.name.to_lowercase()));
    for k in &mut keys {
        if let Some(parent) = partitions.get(&k.table.to_lowercase()) {
            k.table = parent.clone();
        }
    }
    if tables.is_empty() {
        return Err(ImportError::new(
            KIND,
            None,
            "no CREATE TABLE statement: export the schema only (pg_dump --schema-only, mysqldump --no-data)",
        ));
    }
    board(tables, keys, title)
}

fn constrain(
    primary: &mut Vec<String>,
    keys: &mut Vec<ForeignKey>,
    table: &str,
    c: &TableConstraint,
) {
    match c {
        TableConstraint::PrimaryKey(pk) => {
            primary.extend(pk.columns.iter().map(|c| match &c.column.expr {
                Expr::Identifier(ident) => ident.value.clone(),
                other => other.to_string(),
            }));
        }
        TableConstraint::ForeignKey(fk) => keys.push(ForeignKey {
            table: table.to_string(),
            foreign_table: last_part(&fk.foreign_table),
        }),
        _ => {}
    }
}

/// The board: an aggregate per table in a grid (six to a row), in the file's order, then the
/// references, then the "Monolith" frame around them.
fn board(
    tables: Vec<Table>,
    keys: Vec<ForeignKey>,
    title: &str,
) -> Result<squall_model::model::Board, ImportError> {
    const STEP: f64 = 280.0;
    let mut b = Builder::new(KIND, title)?;
    let mut ids: BTreeMap<String, squall_model::model::Id> = BTreeMap::new();
    let mut labels: BTreeMap<String, usize> = BTreeMap::new();
    for (i, t) in tables.iter().enumerate() {
        let place = format!("table {} (line {})", t.name, t.line);
        let mut label = label_of(&t.name);
        if label.is_empty() {
            label = t.name.clone();
        }
        let n = labels.entry(label.clone()).or_default();
        *n += 1;
        if *n > 1 {
            label = format!("{label} {n}");
        }
        let mut fields: Vec<Field> = Vec::new();
        let key = key_column(t);
        for (column, ty) in &t.columns {
            let ty = &money_by_name(column, ty);
            let mut name = field_name(column);
            let mut k = 2;
            while fields.iter().any(|f| f.name == name) {
                name = format!("{}{k}", field_name(column));
                k += 1;
            }
            fields.push(Field {
                name,
                ty: ty.clone(),
                key: key
                    .as_deref()
                    .is_some_and(|p| p.eq_ignore_ascii_case(column)),
            });
        }
        let (x, y) = ((i % 6) as f64 * STEP, (i / 6) as f64 * STEP);
        let e = Element::new(ElementKind::Aggregate, label, x, y);
        let id = b.add(&place, e, fields)?;
        ids.insert(t.name.to_lowercase(), id);
    }
    for k in &keys {
        if let (Some(from), Some(to)) = (
            ids.get(&k.table.to_lowercase()),
            ids.get(&k.foreign_table.to_lowercase()),
        ) && from != to
        {
            b.arrow(
                &format!("foreign key of {} to {}", k.table, k.foreign_table),
                *from,
                *to,
            )?;
        }
    }
    b.frame_all("Monolith")?;
    Ok(b.board)
}

/// The key among a table's primary-key columns: the one named after the table (`payment_id`),
/// else `id`, else the first ending in `id`, else the first (I2).
fn key_column(t: &Table) -> Option<String> {
    let own = format!("{}_id", t.name.to_lowercase());
    let lower = |c: &String| c.to_lowercase();
    t.primary
        .iter()
        .find(|c| lower(c) == own || lower(c) == format!("{}id", t.name.to_lowercase()))
        .or_else(|| t.primary.iter().find(|c| lower(c) == "id"))
        .or_else(|| t.primary.iter().find(|c| lower(c).ends_with("id")))
        .or_else(|| t.primary.first())
        .cloned()
}

/// A decimal column is Money when its name says so (price, amount, cost, total, fee, balance,
/// salary, rate, payment), else Double (I2).
fn money_by_name(column: &str, ty: &FieldType) -> FieldType {
    const MONEY: &[&str] = &[
        "price", "amount", "cost", "total", "fee", "balance", "salary", "rate", "payment", "money",
    ];
    let lower = column.to_lowercase();
    match ty {
        FieldType::Money if !MONEY.iter().any(|w| lower.contains(w)) => FieldType::Double,
        other => other.clone(),
    }
}

/// A column's SQL type as a board field type (docs/import.md I2).
pub fn field_type(sql: &str) -> FieldType {
    let t = sql.trim().to_lowercase();
    if let Some(inner) = t.strip_suffix("[]") {
        return FieldType::List(Box::new(field_type(inner)));
    }
    if t.starts_with("enum(") || t.starts_with("enum (") {
        let values: Vec<String> = t
            .split('\'')
            .skip(1)
            .step_by(2)
            .map(|v| {
                v.to_uppercase()
                    .chars()
                    .map(|c| if c.is_alphanumeric() { c } else { '_' })
                    .collect::<String>()
            })
            .filter(|v| !v.is_empty())
            .collect();
        if !values.is_empty()
            && let Ok(ty) = format!("enum({})", values.join(", ")).parse()
        {
            return ty;
        }
        return FieldType::String;
    }
    let word = t.split(['(', ' ']).next().unwrap_or("");
    match word {
        "tinyint" if t.starts_with("tinyint(1)") => FieldType::Boolean,
        "bool" | "boolean" | "bit" => FieldType::Boolean,
        "bigint" | "bigserial" | "int8" | "serial8" => FieldType::Long,
        "int" | "integer" | "smallint" | "tinyint" | "mediumint" | "serial" | "smallserial"
        | "int2" | "int4" | "serial4" | "year" => FieldType::Integer,
        // Money or Double by the column's name: `money_by_name`.
        "numeric" | "decimal" | "money" | "dec" => FieldType::Money,
        "real" | "float" | "float4" | "float8" | "double" => FieldType::Double,
        "date" => FieldType::Date,
        "timestamp" | "timestamptz" | "datetime" => FieldType::DateTime,
        "uuid" => FieldType::Uuid,
        _ => FieldType::String,
    }
}

/// A string or comment that never ends, at its line and column.
fn tokenizer_error(e: sqlparser::tokenizer::TokenizerError) -> ImportError {
    ImportError::new(
        KIND,
        Some(format!(
            "line {}, column {}",
            e.location.line, e.location.column
        )),
        e.message,
    )
}

/// A MySQL dump: an identifier in backticks, or `ENGINE =` / `AUTO_INCREMENT` outside comments
/// and strings (read with the generic dialect's tokenizer).
fn looks_like_mysql(text: &str) -> Result<bool, ImportError> {
    let tokens = Tokenizer::new(&GenericDialect {}, text)
        .tokenize()
        .map_err(tokenizer_error)?;
    Ok(tokens.iter().any(|t| match t {
        Token::Word(w) => {
            w.quote_style == Some('`')
                || (w.quote_style.is_none()
                    && (w.value.eq_ignore_ascii_case("ENGINE")
                        || w.value.eq_ignore_ascii_case("AUTO_INCREMENT")))
        }
        _ => false,
    }))
}

/// The partition a statement makes, and its parent: `CREATE TABLE c PARTITION OF p …` or
/// `ALTER TABLE [ONLY] p ATTACH PARTITION c …`.
fn partition(tokens: &[TokenWithSpan]) -> Option<(String, String)> {
    let words: Vec<&Token> = tokens
        .iter()
        .map(|t| &t.token)
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    let word = |i: usize| match words.get(i) {
        Some(Token::Word(w)) => w.value.to_uppercase(),
        _ => String::new(),
    };
    let name_after = |i: usize| -> String {
        // A possibly qualified name: word (. word)*; the last part.
        let mut j = i;
        let mut last = String::new();
        while let Some(Token::Word(w)) = words.get(j) {
            last = w.value.clone();
            if words.get(j + 1) == Some(&&Token::Period) {
                j += 2;
            } else {
                break;
            }
        }
        last
    };
    if word(0) == "ALTER" && word(1) == "TABLE" {
        let at = (2..words.len().saturating_sub(1))
            .find(|i| word(*i) == "ATTACH" && word(*i + 1) == "PARTITION")?;
        let parent = name_after(if word(2) == "ONLY" { 3 } else { 2 });
        return Some((name_after(at + 2), parent)).filter(|(c, p)| !c.is_empty() && !p.is_empty());
    }
    if word(0) == "CREATE" {
        let table = (1..6).find(|i| word(*i) == "TABLE")?;
        let mut name_at = table + 1;
        if word(name_at) == "IF" {
            name_at += 3;
        }
        let name = name_after(name_at);
        let of = (name_at..words.len().saturating_sub(1))
            .find(|i| word(*i) == "PARTITION" && word(*i + 1) == "OF")?;
        return Some((name, name_after(of + 2))).filter(|(c, p)| !c.is_empty() && !p.is_empty());
    }
    None
}

/// sqlparser's message split into the place it names (`line 9, column 3`) and the reason; the
/// statement's line when it names none.
fn located(message: &str, line: u64) -> (String, String) {
    let message = message.trim_start_matches("sql parser error: ");
    if let Some((reason, at)) = message.rsplit_once(" at Line: ")
        && let Some((l, c)) = at.split_once(", Column: ")
    {
        return (
            format!("line {}, column {}", l.trim(), c.trim()),
            reason.to_string(),
        );
    }
    (format!("line {line}"), message.to_string())
}

/// The token stream cut at semicolons, each statement without its semicolon.
fn statements(tokens: Vec<TokenWithSpan>) -> Vec<Vec<TokenWithSpan>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    for t in tokens {
        if t.token == Token::SemiColon {
            out.push(std::mem::take(&mut current));
        } else {
            current.push(t);
        }
    }
    out.push(current);
    out.retain(|s| s.iter().any(|t| !matches!(t.token, Token::Whitespace(_))));
    out
}

/// PostgreSQL 18's `GENERATED ALWAYS AS (…) VIRTUAL` columns, which sqlparser 0.62 does not
/// know yet, read as `STORED`: the import needs only the column's name and type.
fn virtual_as_stored(tokens: &mut [TokenWithSpan]) {
    let mut after_paren = false;
    for t in tokens.iter_mut() {
        match &t.token {
            Token::Whitespace(_) => continue,
            Token::Word(w) if after_paren && w.value.eq_ignore_ascii_case("VIRTUAL") => {
                t.token = Token::make_keyword("STORED");
            }
            _ => {}
        }
        after_paren = t.token == Token::RParen;
    }
}

/// The line of a `CREATE [ … ] TABLE` or an `ALTER TABLE` that adds a key, none for any other.
fn table_statement(tokens: &[TokenWithSpan]) -> Option<u64> {
    let mut words = tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)));
    let first = words.next()?;
    let word = |t: &TokenWithSpan| match &t.token {
        Token::Word(w) => w.value.to_uppercase(),
        _ => String::new(),
    };
    let line = first.span.start.line;
    match word(first).as_str() {
        "CREATE" => words.take(5).any(|t| word(t) == "TABLE").then_some(line),
        // Only the ALTER TABLEs that add a key matter (not OWNER TO, ATTACH PARTITION, …).
        "ALTER" => (words.next().is_some_and(|t| word(t) == "TABLE")
            && tokens
                .iter()
                .any(|t| matches!(word(t).as_str(), "PRIMARY" | "FOREIGN")))
        .then_some(line),
        _ => None,
    }
}

fn last_part(name: &ObjectName) -> String {
    match name.0.last() {
        Some(ObjectNamePart::Identifier(ident)) => ident.value.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
