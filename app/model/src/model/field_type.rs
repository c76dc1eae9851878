use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The type of a field, from the small fixed list code generation can map to every target.
///
/// On the wire and in storage a type is its display string: `String`, `List<OrderLine>`,
/// `enum(PLACED, PAID)`, or a value object's name such as `Address`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    Long,
    Double,
    Boolean,
    Date,
    DateTime,
    Uuid,
    Money,
    /// A closed set of named values.
    Enum(Vec<String>),
    /// A list of another type.
    List(Box<FieldType>),
    /// A value object defined by the team (an identifier starting with a letter).
    Value(String),
}

const MAX_TYPE_LEN: usize = 200;

impl FromStr for FieldType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.is_empty() {
            return Err("a field type cannot be empty".into());
        }
        if s.len() > MAX_TYPE_LEN {
            return Err(format!("a field type is at most {MAX_TYPE_LEN} bytes"));
        }
        let simple = match s {
            "String" => Some(Self::String),
            "Integer" => Some(Self::Integer),
            "Long" => Some(Self::Long),
            "Double" => Some(Self::Double),
            "Boolean" => Some(Self::Boolean),
            "Date" => Some(Self::Date),
            "DateTime" => Some(Self::DateTime),
            "UUID" => Some(Self::Uuid),
            "Money" => Some(Self::Money),
            _ => None,
        };
        if let Some(t) = simple {
            return Ok(t);
        }
        if let Some(inner) = s.strip_prefix("List<").and_then(|r| r.strip_suffix('>')) {
            return Ok(Self::List(Box::new(inner.parse()?)));
        }
        if let Some(inner) = s.strip_prefix("enum(").and_then(|r| r.strip_suffix(')')) {
            let values: Vec<String> = inner
                .split(',')
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect();
            if values.is_empty() {
                return Err("an enum needs at least one value".into());
            }
            return Ok(Self::Enum(values));
        }
        let mut chars = s.chars();
        let starts_with_letter = chars.next().is_some_and(char::is_alphabetic);
        if starts_with_letter && chars.all(|c| c.is_alphanumeric() || c == '_') {
            return Ok(Self::Value(s.to_string()));
        }
        Err(format!(
            "`{s}` is not a known field type or value object name"
        ))
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::String => f.write_str("String"),
            Self::Integer => f.write_str("Integer"),
            Self::Long => f.write_str("Long"),
            Self::Double => f.write_str("Double"),
            Self::Boolean => f.write_str("Boolean"),
            Self::Date => f.write_str("Date"),
            Self::DateTime => f.write_str("DateTime"),
            Self::Uuid => f.write_str("UUID"),
            Self::Money => f.write_str("Money"),
            Self::Enum(values) => write!(f, "enum({})", values.join(", ")),
            Self::List(inner) => write!(f, "List<{inner}>"),
            Self::Value(name) => f.write_str(name),
        }
    }
}

impl Serialize for FieldType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FieldType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_of_the_sample_board_round_trips_through_its_string() {
        for s in [
            "String",
            "Integer",
            "Long",
            "Double",
            "Boolean",
            "Date",
            "DateTime",
            "UUID",
            "Money",
            "List<OrderLine>",
            "List<List<UUID>>",
            "enum(PLACED, PAID, CANCELLED, SHIPPED)",
            "OrderLine",
        ] {
            let t: FieldType = s.parse().unwrap();
            assert_eq!(t.to_string(), s);
        }
    }

    #[test]
    fn a_list_of_a_value_object_is_parsed_as_such() {
        assert_eq!(
            "List<OrderLine>".parse::<FieldType>().unwrap(),
            FieldType::List(Box::new(FieldType::Value("OrderLine".into())))
        );
    }

    #[test]
    fn types_that_are_not_on_the_list_are_rejected() {
        for s in [
            "",
            "  ",
            "enum()",
            "List<>",
            "1st",
            "Drop Table",
            "</script>",
            "List<a b>",
        ] {
            assert!(s.parse::<FieldType>().is_err(), "{s:?} should be rejected");
        }
    }

    #[test]
    fn a_type_is_serialized_as_its_string() {
        let json = serde_json::to_string(&FieldType::List(Box::new(FieldType::Money))).unwrap();
        assert_eq!(json, "\"List<Money>\"");
        assert!(serde_json::from_str::<FieldType>("\"Nope!\"").is_err());
    }
}
