//! How the browser reads the server's messages: tag first, without serde's buffering
//! (docs/sync.md S7).
//!
//! serde reads an internally tagged enum (`{"type": "ops", …}`) by buffering the whole object
//! first, then reading the buffer again. In the browser that compiles a second reader of every
//! type a message carries (the board, its elements, the operations): ≈ 30 KB of the first
//! visit's wasm (BENCHMARKS.md). The server always writes a message's tag first (serde
//! serializes it first), so [`ServerMsg::decode`] reads the tag, then the rest of the object
//! straight into the variant. Everything else keeps serde's derived readers: the server reads
//! clients' messages and the HTTP API's operations with them, where the tag may come anywhere.
//!
//! Each variant's fields are listed once more here; building the enum variant from them by
//! name makes a field added to a variant and not here a compile error, and the tests compare
//! every variant with the derived reader.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::protocol::{CatchUp, LogEntry, Peer, PeerId, Point, Presence, ServerMsg};
use crate::model::{Board, Connection, Element, Example, Field, HttpMethod, Id, Mapped, Op};

impl ServerMsg {
    /// Reads a message the server wrote (S7: each object's tag is its first key). A message
    /// whose tag is not first is refused, as is anything the derived reader refuses.
    pub fn decode(text: &str) -> serde_json::Result<Self> {
        serde_json::from_str::<Read<Self>>(text).map(|read| read.0)
    }
}

/// A type read from the server's messages without buffering.
trait Wire: Sized {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// `T` read as [`Wire`] says.
struct Read<T>(T);

impl<'de, T: Wire> Deserialize<'de> for Read<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::read(deserializer).map(Read)
    }
}

/// For a field: one `T` read as [`Wire`] says.
fn one<'de, D: Deserializer<'de>, T: Wire>(deserializer: D) -> Result<T, D::Error> {
    T::read(deserializer)
}

/// For a field: a list of `T`, each read as [`Wire`] says.
fn many<'de, D: Deserializer<'de>, T: Wire>(deserializer: D) -> Result<Vec<T>, D::Error> {
    let read = Vec::<Read<T>>::deserialize(deserializer)?;
    Ok(read.into_iter().map(|r| r.0).collect())
}

/// An internally tagged enum: its tag's key, and how to read a variant from the rest of the
/// object once the tag is known.
trait Tagged: Sized {
    const TAG: &'static str;
    const VARIANTS: &'static [&'static str];
    fn variant<'de, A: MapAccess<'de>>(
        tag: &str,
        rest: MapAccessDeserializer<A>,
    ) -> Result<Self, A::Error>;
}

impl<T: Tagged> Wire for T {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TagFirst<T>(PhantomData<T>);
        impl<'de, T: Tagged> Visitor<'de> for TagFirst<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "an object whose first key is \"{}\"", T::TAG)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
                if map.next_key::<String>()?.as_deref() != Some(T::TAG) {
                    return Err(de::Error::custom(format_args!(
                        "\"{}\" must be the first key",
                        T::TAG
                    )));
                }
                let tag: String = map.next_value()?;
                if !T::VARIANTS.contains(&tag.as_str()) {
                    return Err(de::Error::unknown_variant(&tag, T::VARIANTS));
                }
                T::variant(&tag, MapAccessDeserializer::new(map))
            }
        }
        deserializer.deserialize_map(TagFirst(PhantomData))
    }
}

/// Reads a variant's fields (the rest of the object) and builds `Enum::Variant` from them by
/// name. Struct attributes (`deny_unknown_fields`) and field attributes are the enum's.
macro_rules! variant {
    ($rest:expr, $(#[$outer:meta])* $($path:ident)::+ { $( $(#[$attr:meta])* $field:ident : $ty:ty ),* $(,)? }) => {{
        #[derive(Deserialize)]
        $(#[$outer])*
        struct Fields { $( $(#[$attr])* $field: $ty, )* }
        let Fields { $($field),* } = Fields::deserialize($rest)?;
        $($path)::+ { $($field),* }
    }};
}

impl Tagged for ServerMsg {
    const TAG: &'static str = "type";
    const VARIANTS: &'static [&'static str] = &[
        "welcome", "ops", "accepted", "saved", "rejected", "presence", "left", "error",
    ];
    fn variant<'de, A: MapAccess<'de>>(
        tag: &str,
        rest: MapAccessDeserializer<A>,
    ) -> Result<Self, A::Error> {
        Ok(match tag {
            "welcome" => variant!(rest, ServerMsg::Welcome {
                epoch: String,
                you: PeerId,
                last_batch: u64,
                durable: i64,
                #[serde(deserialize_with = "one")]
                catch_up: CatchUp,
                #[serde(deserialize_with = "many")]
                peers: Vec<Peer>,
            }),
            "ops" => variant!(rest, ServerMsg::Ops {
                seq: i64,
                #[serde(deserialize_with = "many")]
                ops: Vec<Op>,
            }),
            "accepted" => variant!(
                rest,
                ServerMsg::Accepted {
                    batch: u64,
                    seq: i64
                }
            ),
            "saved" => variant!(rest, ServerMsg::Saved { seq: i64 }),
            "rejected" => variant!(
                rest,
                ServerMsg::Rejected {
                    batch: u64,
                    op_index: usize,
                    code: String,
                    message: String,
                }
            ),
            "presence" => variant!(
                rest,
                ServerMsg::Presence {
                    #[serde(deserialize_with = "one")]
                    peer: Peer,
                }
            ),
            "left" => variant!(rest, ServerMsg::Left { peer: PeerId }),
            _ => variant!(
                rest,
                ServerMsg::Error {
                    code: String,
                    message: String
                }
            ),
        })
    }
}

impl Tagged for CatchUp {
    const TAG: &'static str = "kind";
    const VARIANTS: &'static [&'static str] = &["ops", "snapshot"];
    fn variant<'de, A: MapAccess<'de>>(
        tag: &str,
        rest: MapAccessDeserializer<A>,
    ) -> Result<Self, A::Error> {
        Ok(match tag {
            "ops" => variant!(rest, CatchUp::Ops {
                #[serde(deserialize_with = "many")]
                entries: Vec<LogEntry>,
            }),
            _ => variant!(
                rest,
                CatchUp::Snapshot {
                    seq: i64,
                    board: Board
                }
            ),
        })
    }
}

impl Tagged for Op {
    const TAG: &'static str = "type";
    const VARIANTS: &'static [&'static str] = &[
        "create_element",
        "update_element",
        "move_element",
        "resize_element",
        "delete_element",
        "connect",
        "disconnect",
        "rename_board",
        "set_examples",
        "set_mapping",
    ];
    fn variant<'de, A: MapAccess<'de>>(
        tag: &str,
        rest: MapAccessDeserializer<A>,
    ) -> Result<Self, A::Error> {
        Ok(match tag {
            "create_element" => variant!(
                rest,
                #[serde(deny_unknown_fields)]
                Op::CreateElement { element: Element }
            ),
            "update_element" => variant!(rest, #[serde(deny_unknown_fields)] Op::UpdateElement {
                id: Id,
                #[serde(default)]
                label: Option<String>,
                #[serde(default)]
                description: Option<String>,
                #[serde(default)]
                fields: Option<Vec<Field>>,
                #[serde(default, deserialize_with = "crate::model::present")]
                http_method: Option<Option<HttpMethod>>,
                #[serde(default, deserialize_with = "crate::model::present")]
                http_path: Option<Option<String>>,
            }),
            "move_element" => variant!(
                rest,
                #[serde(deny_unknown_fields)]
                Op::MoveElement {
                    id: Id,
                    x: f64,
                    y: f64,
                }
            ),
            "resize_element" => variant!(
                rest,
                #[serde(deny_unknown_fields)]
                Op::ResizeElement {
                    id: Id,
                    width: f64,
                    height: f64,
                }
            ),
            "delete_element" => variant!(
                rest,
                #[serde(deny_unknown_fields)]
                Op::DeleteElement { id: Id }
            ),
            "connect" => variant!(
                rest,
                #[serde(deny_unknown_fields)]
                Op::Connect {
                    connection: Connection,
                }
            ),
            "disconnect" => variant!(
                rest,
                #[serde(deny_unknown_fields)]
                Op::Disconnect { id: Id }
            ),
            "rename_board" => variant!(
                rest,
                #[serde(deny_unknown_fields)]
                Op::RenameBoard { title: String }
            ),
            "set_examples" => variant!(rest, #[serde(deny_unknown_fields)] Op::SetExamples {
                id: Id,
                examples: Vec<Example>,
            }),
            _ => variant!(rest, #[serde(deny_unknown_fields)] Op::SetMapping {
                id: Id,
                mapping: Vec<Mapped>,
            }),
        })
    }
}

impl Wire for LogEntry {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(variant!(deserializer, LogEntry {
            seq: i64,
            #[serde(deserialize_with = "many")]
            ops: Vec<Op>,
            #[serde(default)]
            mine: Option<u64>,
        }))
    }
}

/// A peer's presence is flattened into it on the wire (serde's `flatten` buffers too).
impl Wire for Peer {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Fields {
            id: PeerId,
            name: String,
            colour: String,
            cursor: Option<Point>,
            #[serde(default)]
            selection: Vec<Id>,
            #[serde(default)]
            editing: Option<Id>,
        }
        let Fields {
            id,
            name,
            colour,
            cursor,
            selection,
            editing,
        } = Fields::deserialize(deserializer)?;
        Ok(Peer {
            id,
            name,
            colour,
            now: Presence {
                cursor,
                selection,
                editing,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ElementKind, Mapped};

    /// Decoded tag first and by serde's derived reader: the same message.
    fn both(msg: &ServerMsg) {
        let text = serde_json::to_string(msg).unwrap();
        assert_eq!(&ServerMsg::decode(&text).unwrap(), msg, "{text}");
        assert_eq!(&serde_json::from_str::<ServerMsg>(&text).unwrap(), msg);
    }

    fn element(kind: ElementKind, label: &str) -> Element {
        Element::new(kind, label, 10.0, 20.0)
    }

    /// One operation of every kind, with optional properties both absent and present.
    fn every_op() -> Vec<Op> {
        let id = Id::from_u128(7);
        let mut command = element(ElementKind::Command, "Place Order");
        command.props.description = "Sent by the customer".into();
        vec![
            Op::CreateElement { element: command },
            Op::UpdateElement {
                id,
                label: Some("주문".into()),
                description: None,
                fields: Some(vec![]),
                http_method: Some(None),
                http_path: Some(Some("/orders/{id}".into())),
            },
            Op::UpdateElement {
                id,
                label: None,
                description: Some("d".into()),
                fields: None,
                http_method: Some(Some(HttpMethod::Post)),
                http_path: None,
            },
            Op::MoveElement {
                id,
                x: -1.5,
                y: 2.0,
            },
            Op::ResizeElement {
                id,
                width: 160.0,
                height: 120.0,
            },
            Op::DeleteElement { id },
            Op::Connect {
                connection: Connection {
                    id: Id::from_u128(9),
                    from: id,
                    to: Id::from_u128(8),
                },
            },
            Op::Disconnect { id },
            Op::RenameBoard {
                title: "Orders \"live\"".into(),
            },
            Op::SetExamples {
                id,
                examples: vec![],
            },
            Op::SetMapping {
                id,
                mapping: Vec::<Mapped>::new(),
            },
        ]
    }

    fn peer(editing: Option<Id>) -> Peer {
        Peer {
            id: 3,
            name: "Alice".into(),
            colour: "#2563eb".into(),
            now: Presence {
                cursor: Some(Point { x: 1.0, y: -2.0 }),
                selection: vec![Id::from_u128(7)],
                editing,
            },
        }
    }

    #[test]
    fn s7_every_message_and_operation_reads_as_the_derived_reader_reads_it() {
        let mut board = Board::new("Sample").unwrap();
        let element = element(ElementKind::DomainEvent, "Order Placed");
        board.apply(Op::CreateElement { element }).unwrap();
        let ops = every_op();
        for msg in [
            ServerMsg::Welcome {
                epoch: "e1".into(),
                you: 4,
                last_batch: 2,
                durable: 10,
                catch_up: CatchUp::Snapshot { seq: 10, board },
                peers: vec![peer(None), peer(Some(Id::from_u128(7)))],
            },
            ServerMsg::Welcome {
                epoch: "e1".into(),
                you: 4,
                last_batch: 0,
                durable: 0,
                catch_up: CatchUp::Ops {
                    entries: vec![
                        LogEntry {
                            seq: 1,
                            ops: ops.clone(),
                            mine: Some(1),
                        },
                        LogEntry {
                            seq: 2,
                            ops: vec![],
                            mine: None,
                        },
                    ],
                },
                peers: vec![],
            },
            ServerMsg::Ops { seq: 5, ops },
            ServerMsg::Accepted { batch: 1, seq: 5 },
            ServerMsg::Saved { seq: 5 },
            ServerMsg::Rejected {
                batch: 1,
                op_index: 0,
                code: "unknown_element".into(),
                message: "no element".into(),
            },
            ServerMsg::Presence { peer: peer(None) },
            ServerMsg::Left { peer: 3 },
            ServerMsg::error("bad_message", "not JSON"),
        ] {
            both(&msg);
        }
    }

    #[test]
    fn s7_a_peer_without_a_cursor_or_selection_reads() {
        let msg = ServerMsg::decode(
            r##"{"type":"presence","peer":{"id":1,"name":"B","colour":"#000000"}}"##,
        )
        .unwrap();
        assert_eq!(
            msg,
            ServerMsg::Presence {
                peer: Peer {
                    id: 1,
                    name: "B".into(),
                    colour: "#000000".into(),
                    now: Presence::default(),
                }
            }
        );
    }

    #[test]
    fn s7_refuses_what_the_derived_reader_refuses_and_a_tag_that_is_not_first() {
        for (text, why) in [
            (
                r#"{"seq":5,"type":"saved"}"#,
                "\"type\" must be the first key",
            ),
            (r#"{"type":"shout"}"#, "unknown variant `shout`"),
            (r#"{"type":"saved"}"#, "missing field `seq`"),
            (r#"[1]"#, "an object whose first key is \"type\""),
            (
                r#"{"type":"ops","seq":1,"ops":[{"type":"delete_element","id":"00000000-0000-0000-0000-000000000007","x":1}]}"#,
                "unknown field `x`",
            ),
            (
                r#"{"type":"ops","seq":1,"ops":[{"id":"00000000-0000-0000-0000-000000000007","type":"delete_element"}]}"#,
                "\"type\" must be the first key",
            ),
        ] {
            let error = ServerMsg::decode(text).unwrap_err().to_string();
            assert!(error.contains(why), "{text}: {error}");
        }
    }
}
