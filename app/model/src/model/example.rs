//! Examples (Given / When / Then) on commands and policies, as MSAEz and the msaschool method
//! teach them: given earlier events (with field values), when this command (with field values),
//! then these events, a named refusal, or (a policy's) these commands. Stored in an element's
//! `props.examples` and set by the `set_examples` op; code generation turns them into tests.

/// Examples as text: `Given Order Placed {"orderId": "o-1"}` (the properties panel's editor).
pub mod text;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Element, ElementKind, Id, Limits, Rejection};

/// Field values by field name (JSON values: `"c-1"`, `4200`, `[{"sku": "A1"}]`).
pub type Values = BTreeMap<String, serde_json::Value>;

/// One example of a command or a policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// What happened before (for a policy: the event that triggers it, last).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub given: Vec<Happened>,
    /// The command's field values (a command's example only).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub when: Values,
    pub then: Then,
}

/// An event with field values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Happened {
    pub event: Id,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: Values,
}

/// A command with field values (what a policy issues).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issued {
    pub command: Id,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: Values,
}

/// What the example expects: `{"events": [...]}`, `{"refused": "why"}` or `{"issues": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Then {
    /// The command results in these events.
    Events(Vec<Happened>),
    /// The command is refused, for this reason.
    Refused(String),
    /// The policy issues these commands.
    Issues(Vec<Issued>),
}

/// What an example's step names on the board, for the checks.
pub enum Named<'a> {
    Event(&'a Happened),
    Command(&'a Issued),
}

impl Example {
    /// Every event and command the example names, with the values given for it.
    pub fn steps(&self) -> impl Iterator<Item = Named<'_>> {
        let then: Vec<Named> = match &self.then {
            Then::Events(events) => events.iter().map(Named::Event).collect(),
            Then::Issues(commands) => commands.iter().map(Named::Command).collect(),
            Then::Refused(_) => Vec::new(),
        };
        self.given.iter().map(Named::Event).chain(then)
    }
}

/// The checks that need nothing but the examples and their element: how many, how large, and
/// which kind of example fits which kind of element.
pub fn check_shape(owner: &Element, examples: &[Example]) -> Result<(), Rejection> {
    let bad = |why: &str| Err(Rejection::BadExample(why.to_string()));
    if examples.is_empty() {
        return Ok(());
    }
    let policy = match owner.kind {
        ElementKind::Command => false,
        ElementKind::Policy => true,
        kind => {
            return Err(Rejection::PropertyNotAllowed {
                kind: kind.as_str(),
                property: "examples",
            });
        }
    };
    if examples.len() > Limits::MAX_EXAMPLES {
        return bad(&format!(
            "an element has at most {} examples",
            Limits::MAX_EXAMPLES
        ));
    }
    for (n, example) in examples.iter().enumerate() {
        let n = n + 1;
        let steps = match &example.then {
            Then::Events(events) => events.len(),
            Then::Issues(commands) => commands.len(),
            Then::Refused(_) => 0,
        };
        if example.given.len() > Limits::MAX_EXAMPLE_STEPS || steps > Limits::MAX_EXAMPLE_STEPS {
            return bad(&format!(
                "example {n} has more than {} steps",
                Limits::MAX_EXAMPLE_STEPS
            ));
        }
        match (&example.then, policy) {
            (Then::Issues(_), false) => {
                return bad(&format!(
                    "example {n}: a command results in events or a refusal, it issues no commands"
                ));
            }
            (Then::Events(_) | Then::Refused(_), true) => {
                return bad(&format!(
                    "example {n}: a policy's example says which commands it issues"
                ));
            }
            _ => {}
        }
        if policy && !example.when.is_empty() {
            return bad(&format!(
                "example {n}: a policy is triggered by its last given event, it has no `when` values"
            ));
        }
        if policy && example.given.is_empty() {
            return bad(&format!(
                "example {n}: a policy's example names the event that triggers it in `given`"
            ));
        }
        if let Then::Refused(why) = &example.then {
            let chars = why.chars().count();
            if why.trim().is_empty()
                || chars > Limits::MAX_EXAMPLE_REFUSAL_CHARS
                || why
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t')
            {
                return bad(&format!(
                    "example {n}: a refusal is 1 to {} characters of text",
                    Limits::MAX_EXAMPLE_REFUSAL_CHARS
                ));
            }
        }
        let values = std::iter::once(&example.when).chain(example.steps().map(|s| match s {
            Named::Event(e) => &e.fields,
            Named::Command(c) => &c.fields,
        }));
        for values in values {
            if values.len() > Limits::MAX_EXAMPLE_VALUES {
                return bad(&format!(
                    "example {n} gives more than {} values to one step",
                    Limits::MAX_EXAMPLE_VALUES
                ));
            }
            for value in values.values() {
                if value.to_string().chars().count() > Limits::MAX_EXAMPLE_VALUE_CHARS {
                    return bad(&format!(
                        "example {n} has a value longer than {} characters",
                        Limits::MAX_EXAMPLE_VALUE_CHARS
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The checks against the board: every event and command an example names exists and is of
/// that kind, and every field it gives a value to is a field of it. `element` finds a sticky.
pub fn check_references<'a>(
    owner: &Element,
    examples: &[Example],
    element: impl Fn(Id) -> Option<&'a Element>,
) -> Result<(), Rejection> {
    let fields_of = |e: &Element, values: &Values, n: usize| -> Result<(), Rejection> {
        for name in values.keys() {
            if !e.props.fields.iter().any(|f| &f.name == name) {
                return Err(Rejection::BadExample(format!(
                    "example {n} gives {} {:?} a field {name:?} it does not have",
                    e.kind.title().to_lowercase(),
                    e.label
                )));
            }
        }
        Ok(())
    };
    for (n, example) in examples.iter().enumerate() {
        let n = n + 1;
        if owner.kind == ElementKind::Command {
            fields_of(owner, &example.when, n)?;
        }
        for step in example.steps() {
            let (id, kind, values) = match step {
                Named::Event(h) => (h.event, ElementKind::DomainEvent, &h.fields),
                Named::Command(c) => (c.command, ElementKind::Command, &c.fields),
            };
            match element(id) {
                Some(e) if e.kind == kind => fields_of(e, values, n)?,
                Some(e) => {
                    return Err(Rejection::BadExample(format!(
                        "example {n} names {} {:?} where a {} belongs",
                        e.kind.title().to_lowercase(),
                        e.label,
                        kind.title().to_lowercase()
                    )));
                }
                None => {
                    return Err(Rejection::BadExample(format!(
                        "example {n} names a {} that is not on this board (deleted?): {id}",
                        kind.title().to_lowercase()
                    )));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::{Board, Field, FieldType, Op, Patch};

    struct Flow {
        board: Board,
        cancel: Id,
        placed: Id,
        cancelled: Id,
        policy: Id,
        order: Id,
    }

    fn field(name: &str) -> Field {
        Field {
            name: name.into(),
            ty: FieldType::String,
            key: false,
        }
    }

    fn flow() -> Flow {
        let mut board = Board::new("Examples").unwrap();
        let mut add = |kind, label: &str, fields: &[&str]| {
            let mut e = Element::new(kind, label, 0.0, 0.0);
            e.props.fields = fields.iter().map(|f| field(f)).collect();
            let id = e.id;
            board.apply(Op::CreateElement { element: e }).unwrap();
            id
        };
        let cancel = add(ElementKind::Command, "Cancel Order", &["reason"]);
        let placed = add(ElementKind::DomainEvent, "Order Placed", &["orderId"]);
        let cancelled = add(
            ElementKind::DomainEvent,
            "Order Cancelled",
            &["orderId", "reason"],
        );
        let policy = add(ElementKind::Policy, "Cancel unpaid orders", &[]);
        let order = add(ElementKind::Aggregate, "Order", &["id"]);
        Flow {
            board,
            cancel,
            placed,
            cancelled,
            policy,
            order,
        }
    }

    fn values(v: serde_json::Value) -> Values {
        serde_json::from_value(v).unwrap()
    }

    fn cancel_example(f: &Flow) -> Example {
        Example {
            given: vec![Happened {
                event: f.placed,
                fields: values(json!({"orderId": "o-1"})),
            }],
            when: values(json!({"reason": "changed my mind"})),
            then: Then::Events(vec![Happened {
                event: f.cancelled,
                fields: values(json!({"orderId": "o-1", "reason": "changed my mind"})),
            }]),
        }
    }

    fn set(board: &mut Board, id: Id, examples: Vec<Example>) -> Result<(), Rejection> {
        board.apply(Op::SetExamples { id, examples })
    }

    #[test]
    fn a_command_example_is_stored_as_json_and_undone_by_its_inverse() {
        let mut f = flow();
        let example = cancel_example(&f);
        let op = Op::SetExamples {
            id: f.cancel,
            examples: vec![example.clone()],
        };
        let inverse = f.board.inverse(&op).unwrap();
        f.board.apply(op.clone()).unwrap();
        assert_eq!(
            f.board.element(f.cancel).unwrap().props.examples,
            vec![example]
        );
        let wire = serde_json::to_value(&op).unwrap();
        assert_eq!(wire["type"], "set_examples");
        assert_eq!(
            wire["examples"][0]["when"],
            json!({"reason": "changed my mind"})
        );
        assert_eq!(
            wire["examples"][0]["then"]["events"][0]["event"],
            json!(f.cancelled)
        );
        assert_eq!(serde_json::from_value::<Op>(wire).unwrap(), op);
        f.board.apply_all(inverse).unwrap();
        assert!(f.board.element(f.cancel).unwrap().props.examples.is_empty());
    }

    #[test]
    fn a_refusal_and_a_policy_example() {
        let mut f = flow();
        let refused = Example {
            given: vec![],
            when: Values::new(),
            then: Then::Refused("the order is already shipped".into()),
        };
        set(&mut f.board, f.cancel, vec![refused]).unwrap();
        let policy = Example {
            given: vec![Happened {
                event: f.placed,
                fields: values(json!({"orderId": "o-1"})),
            }],
            when: Values::new(),
            then: Then::Issues(vec![Issued {
                command: f.cancel,
                fields: values(json!({"reason": "unpaid"})),
            }]),
        };
        set(&mut f.board, f.policy, vec![policy]).unwrap();
    }

    /// Bad input (docs/model-rules.md R28 for what goes stale later): refused, nothing changes.
    #[test]
    fn examples_naming_what_the_board_does_not_have_are_refused() {
        let mut f = flow();
        let before = f.board.clone();
        let mut unknown_event = cancel_example(&f);
        unknown_event.given[0].event = crate::model::new_id();
        let mut unknown_field = cancel_example(&f);
        unknown_field.given[0]
            .fields
            .insert("customer".into(), json!("c-1"));
        let mut unknown_when = cancel_example(&f);
        unknown_when.when.insert("colour".into(), json!("red"));
        let mut not_an_event = cancel_example(&f);
        not_an_event.given[0].event = f.order;
        let issues_from_command = Example {
            then: Then::Issues(vec![]),
            ..cancel_example(&f)
        };
        let cases: [(Example, &str); 5] = [
            (
                unknown_event,
                "names a domain event that is not on this board",
            ),
            (unknown_field, "a field \"customer\" it does not have"),
            (unknown_when, "a field \"colour\" it does not have"),
            (
                not_an_event,
                "names aggregate \"Order\" where a domain event belongs",
            ),
            (
                issues_from_command,
                "a command results in events or a refusal",
            ),
        ];
        for (example, why) in cases {
            let refused = set(&mut f.board, f.cancel, vec![example]).unwrap_err();
            assert_eq!(refused.code(), "bad_example");
            assert!(refused.to_string().contains(why), "{refused}");
            assert_eq!(f.board, before);
        }
        let example = cancel_example(&f);
        assert_eq!(
            set(&mut f.board, f.order, vec![example])
                .unwrap_err()
                .code(),
            "property_not_allowed"
        );
        assert_eq!(
            set(&mut f.board, crate::model::new_id(), vec![])
                .unwrap_err()
                .code(),
            "unknown_element"
        );
        let empty_refusal = Example {
            given: vec![],
            when: Values::new(),
            then: Then::Refused(" ".into()),
        };
        assert_eq!(
            set(&mut f.board, f.cancel, vec![empty_refusal])
                .unwrap_err()
                .code(),
            "bad_example"
        );
        assert_eq!(f.board, before);
    }

    #[test]
    fn an_example_goes_stale_when_its_event_is_deleted_or_renamed_r28() {
        use crate::semantic::rules::{Rule, check};
        let mut f = flow();
        let example = cancel_example(&f);
        set(&mut f.board, f.cancel, vec![example]).unwrap();
        let r28 = |b: &Board| check(b).into_iter().filter(|p| p.rule == Rule::R28).count();
        assert_eq!(r28(&f.board), 0);
        f.board
            .apply(Op::update(
                f.cancelled,
                Patch {
                    fields: Some(vec![field("orderId")]),
                    ..Patch::default()
                },
            ))
            .unwrap();
        let problems = check(&f.board);
        let stale = problems.iter().find(|p| p.rule == Rule::R28).unwrap();
        assert_eq!(stale.element, f.cancel);
        assert!(stale.message(&f.board).contains("\"reason\""));
        f.board.apply(Op::DeleteElement { id: f.placed }).unwrap();
        assert_eq!(r28(&f.board), 1, "one problem per sticky");
        // The board still round-trips through a board document: nothing is lost.
        let text =
            serde_json::to_string(&crate::model::BoardDocument::new(f.board.clone())).unwrap();
        assert!(text.contains(r#""version":2"#));
        let back = crate::model::BoardDocument::read(&text).unwrap();
        assert_eq!(back, f.board);
    }
}
