//! Examples as text, the way a team writes them beside the stickies (docs/board-format.md):
//!
//! ```text
//! Given Order Placed {"orderId": "o-1"}
//! When {"reason": "changed my mind"}
//! Then Order Cancelled {"orderId": "o-1", "reason": "changed my mind"}
//! ```
//!
//! `And` repeats the keyword above it; `Then refused: <why>` is a refusal; a policy's `Then`
//! lines name the commands it issues. Stickies are named by their labels (ignoring case and
//! spacing); values are a JSON object. Pure: the properties panel reads and writes it.

use super::{Example, Happened, Issued, Then, Values};
use crate::model::{Board, Element, ElementKind};

/// The example as text, with the board's labels.
pub fn to_text(example: &Example, board: &Board) -> String {
    // A sticky deleted since: the line says so, and must be fixed before the example saves.
    let label = |id| {
        board
            .element(id)
            .map_or_else(|| "(deleted)".to_string(), |e: &Element| e.label.clone())
    };
    let values = |v: &Values| {
        if v.is_empty() {
            String::new()
        } else {
            format!(" {}", serde_json::to_string(v).unwrap_or_default())
        }
    };
    let mut lines = Vec::new();
    for (i, h) in example.given.iter().enumerate() {
        let word = if i == 0 { "Given" } else { "And" };
        lines.push(format!("{word} {}{}", label(h.event), values(&h.fields)));
    }
    if !example.when.is_empty() {
        lines.push(format!("When{}", values(&example.when)));
    }
    match &example.then {
        Then::Refused(why) => lines.push(format!("Then refused: {why}")),
        Then::Events(events) => {
            for (i, h) in events.iter().enumerate() {
                let word = if i == 0 { "Then" } else { "And" };
                lines.push(format!("{word} {}{}", label(h.event), values(&h.fields)));
            }
        }
        Then::Issues(commands) => {
            for (i, c) in commands.iter().enumerate() {
                let word = if i == 0 { "Then" } else { "And" };
                lines.push(format!("{word} {}{}", label(c.command), values(&c.fields)));
            }
        }
    }
    lines.join("\n")
}

#[derive(Clone, Copy, PartialEq)]
enum Part {
    Given,
    When,
    Then,
}

/// Reads an example of `owner` (a command or a policy) from text; the error names the line and
/// what is wrong with it.
pub fn parse(text: &str, owner: &Element, board: &Board) -> Result<Example, String> {
    let policy = owner.kind == ElementKind::Policy;
    let mut given = Vec::new();
    let mut when = Values::new();
    let mut then_events = Vec::new();
    let mut then_commands = Vec::new();
    let mut refused = None;
    let mut part = None;
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let rest = rest.trim();
        let this = match word.to_lowercase().as_str() {
            "given" => Part::Given,
            "when" => Part::When,
            "then" => Part::Then,
            "and" => part.ok_or(format!(
                "line {n}: \"And\" continues a Given, When or Then line above it"
            ))?,
            _ => {
                return Err(format!(
                    "line {n}: a line starts with Given, When, Then or And"
                ));
            }
        };
        if part.is_some_and(|p| p as u8 > this as u8) {
            return Err(format!(
                "line {n}: Given comes before When, and When before Then"
            ));
        }
        part = Some(this);
        match this {
            Part::When => {
                if policy {
                    return Err(format!(
                        "line {n}: a policy has no When: the last Given event triggers it"
                    ));
                }
                when.extend(values(rest, n)?);
            }
            Part::Then if rest.to_lowercase().starts_with("refused") => {
                if policy {
                    return Err(format!(
                        "line {n}: a policy issues commands; it is not refused"
                    ));
                }
                let why = rest["refused".len()..]
                    .trim_start_matches([':', ' '])
                    .trim();
                if why.is_empty() {
                    return Err(format!("line {n}: say why after \"Then refused:\""));
                }
                refused = Some(why.to_string());
            }
            Part::Given | Part::Then => {
                let kind = if this == Part::Then && policy {
                    ElementKind::Command
                } else {
                    ElementKind::DomainEvent
                };
                let (name, fields) = match rest.find('{') {
                    Some(at) => (rest[..at].trim(), values(&rest[at..], n)?),
                    None => (rest, Values::new()),
                };
                let sticky = find(board, kind, name).map_err(|why| format!("line {n}: {why}"))?;
                match (this, kind) {
                    (Part::Given, _) => given.push(Happened {
                        event: sticky,
                        fields,
                    }),
                    (_, ElementKind::Command) => then_commands.push(Issued {
                        command: sticky,
                        fields,
                    }),
                    _ => then_events.push(Happened {
                        event: sticky,
                        fields,
                    }),
                }
            }
        }
    }
    let then = match refused {
        Some(why) if then_events.is_empty() => Then::Refused(why),
        Some(_) => return Err("an example results in events or a refusal, not both".into()),
        None if then_events.is_empty() && then_commands.is_empty() => {
            return Err(if policy {
                "add a Then line: the commands the policy issues".into()
            } else {
                "add a Then line: the events it results in, or \"Then refused: why\"".into()
            });
        }
        None if policy => Then::Issues(then_commands),
        None => Then::Events(then_events),
    };
    Ok(Example { given, when, then })
}

/// `{"orderId": "o-1"}` as values.
fn values(text: &str, n: usize) -> Result<Values, String> {
    if text.is_empty() {
        return Ok(Values::new());
    }
    serde_json::from_str(text).map_err(|_| {
        format!(
            "line {n}: values are a JSON object, such as {{\"orderId\": \"o-1\", \"total\": 4200}}"
        )
    })
}

/// The one sticky of `kind` named `name` (ignoring case and spacing).
fn find(board: &Board, kind: ElementKind, name: &str) -> Result<crate::model::Id, String> {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let wanted = norm(name);
    let what = kind.title().to_lowercase();
    if wanted.is_empty() {
        return Err(format!("name the {what}"));
    }
    let found: Vec<&Element> = board
        .elements()
        .filter(|e| e.kind == kind && norm(&e.label) == wanted)
        .collect();
    match found.as_slice() {
        [one] => Ok(one.id),
        [] => Err(format!("no {what} is named {name:?} on this board")),
        _ => Err(format!(
            "{} {what}s are named {name:?}: rename one",
            found.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, FieldType, Op};

    fn board() -> (Board, Element, Element) {
        let mut board = Board::new("Text").unwrap();
        let mut add = |kind, label: &str| {
            let mut e = Element::new(kind, label, 0.0, 0.0);
            e.props.fields = if kind == ElementKind::Policy {
                vec![]
            } else {
                vec![Field {
                    name: "orderId".into(),
                    ty: FieldType::String,
                    key: false,
                }]
            };
            board
                .apply(Op::CreateElement { element: e.clone() })
                .unwrap();
            e
        };
        let command = add(ElementKind::Command, "Cancel Order");
        add(ElementKind::DomainEvent, "Order Placed");
        add(ElementKind::DomainEvent, "Order Cancelled");
        let policy = add(ElementKind::Policy, "Cancel unpaid");
        (board, command, policy)
    }

    #[test]
    fn an_example_reads_and_writes_as_given_when_then() {
        let (board, command, _) = board();
        let text = "Given order placed {\"orderId\": \"o-1\"}\nWhen {\"orderId\": \"o-1\"}\nThen Order  Cancelled {\"orderId\": \"o-1\"}\nAnd Order Placed";
        let example = parse(text, &command, &board).unwrap();
        assert_eq!(example.given.len(), 1);
        assert_eq!(example.when["orderId"], serde_json::json!("o-1"));
        let Then::Events(events) = &example.then else {
            panic!("events expected")
        };
        assert_eq!(events.len(), 2);
        let written = to_text(&example, &board);
        assert_eq!(
            written,
            "Given Order Placed {\"orderId\":\"o-1\"}\nWhen {\"orderId\":\"o-1\"}\nThen Order Cancelled {\"orderId\":\"o-1\"}\nAnd Order Placed"
        );
        assert_eq!(parse(&written, &command, &board).unwrap(), example);
        let refused = parse("Then refused: already shipped", &command, &board).unwrap();
        assert_eq!(refused.then, Then::Refused("already shipped".into()));
    }

    #[test]
    fn a_policy_example_issues_commands() {
        let (board, _, policy) = board();
        let example = parse(
            "Given Order Placed\nThen Cancel Order {\"orderId\": 7}",
            &policy,
            &board,
        )
        .unwrap();
        let Then::Issues(issued) = &example.then else {
            panic!("issues expected")
        };
        assert_eq!(issued[0].fields["orderId"], serde_json::json!(7));
    }

    #[test]
    fn mistakes_name_their_line() {
        let (board, command, policy) = board();
        let error = |text: &str, owner: &Element| parse(text, owner, &board).unwrap_err();
        assert_eq!(
            error("Given Order Shipped", &command),
            "line 1: no domain event is named \"Order Shipped\" on this board"
        );
        assert!(
            error(
                "Given Order Placed\nThen Order Cancelled {orderId}",
                &command
            )
            .starts_with("line 2: values are a JSON object")
        );
        assert_eq!(
            error("Whenever", &command),
            "line 1: a line starts with Given, When, Then or And"
        );
        assert_eq!(
            error("And Order Placed", &command),
            "line 1: \"And\" continues a Given, When or Then line above it"
        );
        assert_eq!(
            error("Then Order Placed\nGiven Order Placed", &command),
            "line 2: Given comes before When, and When before Then"
        );
        assert!(error("When {}", &policy).starts_with("line 1: a policy has no When"));
        assert_eq!(
            error("Then refused:", &command),
            "line 1: say why after \"Then refused:\""
        );
        assert_eq!(
            error("Given Order Placed\nWhen {\"orderId\": \"o-1\"}", &command),
            "add a Then line: the events it results in, or \"Then refused: why\""
        );
    }
}
