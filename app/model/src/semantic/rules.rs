//! The rules a model is checked against, numbered as in docs/model-rules.md (tests cite the
//! numbers). [`check`] runs them all over a [`Semantic`] model and returns every [`Problem`],
//! each naming its rule and the element it is about.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;

use super::fills::plain;
use super::{Results, Semantic, path_parameters, phrasing};
use crate::model::{Board, Element, ElementKind, FieldType, HttpMethod, Id};

/// How much a problem matters.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The model says something code cannot do (or the board contradicts itself).
    Error,
    /// Something is missing that the generated code will lack.
    Warning,
    /// A convention: worth a look.
    Info,
}

impl Severity {
    /// `error`, `warning`, `info`: as JSON and CSS classes name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The rules, by number (docs/model-rules.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    R1,
    R2,
    R3,
    R4,
    R5,
    R6,
    R7,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
    R16,
    R17,
    R18,
    R19,
    R20,
    R21,
    R22,
    R23,
    R24,
    R25,
    R26,
    R27,
    R28,
    R29,
    R30,
    R31,
    R32,
}

impl Rule {
    /// Every rule, in number order.
    pub const ALL: [Rule; 32] = {
        use Rule::*;
        [
            R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13, R14, R15, R16, R17, R18, R19,
            R20, R21, R22, R23, R24, R25, R26, R27, R28, R29, R30, R31, R32,
        ]
    };

    /// The rule numbered `id` (`"R5"`).
    pub fn parse(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    pub fn id(self) -> &'static str {
        use Rule::*;
        match self {
            R1 => "R1",
            R2 => "R2",
            R3 => "R3",
            R4 => "R4",
            R5 => "R5",
            R6 => "R6",
            R7 => "R7",
            R8 => "R8",
            R9 => "R9",
            R10 => "R10",
            R11 => "R11",
            R12 => "R12",
            R13 => "R13",
            R14 => "R14",
            R15 => "R15",
            R16 => "R16",
            R17 => "R17",
            R18 => "R18",
            R19 => "R19",
            R20 => "R20",
            R21 => "R21",
            R22 => "R22",
            R23 => "R23",
            R24 => "R24",
            R25 => "R25",
            R26 => "R26",
            R27 => "R27",
            R28 => "R28",
            R29 => "R29",
            R30 => "R30",
            R31 => "R31",
            R32 => "R32",
        }
    }

    pub fn severity(self) -> Severity {
        use Rule::*;
        match self {
            R1 | R3 | R5 | R10 | R19 | R24 => Severity::Error,
            R20 | R21 | R26 | R27 | R29 => Severity::Info,
            _ => Severity::Warning,
        }
    }
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl<'de> serde::Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = String::deserialize(deserializer)?;
        Rule::parse(&id)
            .ok_or_else(|| serde::de::Error::custom(format!("no rule is numbered {id:?}")))
    }
}

/// One thing wrong with a model: which rule, about which element, and what else it names. The
/// words for people are made when shown ([`Problem::message`]): a check of a board with thousands
/// of problems builds no text. As JSON (the export preview's `problems`, with the message added
/// by the server): `{"element", "rule": "R5", "severity": "error", "message"}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    pub element: Id,
    pub rule: Rule,
    /// The rule's severity, carried for readers of the JSON.
    pub severity: Severity,
    /// The arrow it is about (R1), drawn from `element`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrow: Option<Id>,
    /// Other elements it names: the arrow's target (R1), the candidate events (R5), the frame
    /// (R17), the issued command (R22), the two contexts (R23), the source event and the issued
    /// command (R29, R30; then the aggregate a command acts on).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub others: Vec<Id>,
    /// Words it names: a field and its type (R10, R11), a route (R24), a path parameter (R25),
    /// a path and an ASCII one to use instead (R32),
    /// the field nothing fills (R29, R30), what an example or a mapping names wrongly (R28, R31).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<String>,
}

/// The language of a problem's message: the UI's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    Korean,
}

impl Problem {
    /// What is wrong, in `language`, with the names the board has now.
    pub fn message_in(&self, board: &Board, language: Language) -> String {
        match language {
            Language::English => self.message(board),
            Language::Korean => self.message_ko(board),
        }
    }

    /// What is wrong, in Korean: "커맨드 "주문": …". Each sentence names the sticky first and
    /// then says what is wrong, so no particle has to agree with a label's last syllable.
    pub fn message_ko(&self, board: &Board) -> String {
        let named = |id: Id| board.element(id).map(quoted).unwrap_or_default();
        let kind = |id: Id| board.element(id).map_or("", |e| kind_word_ko(e.kind));
        let this = named(self.element);
        let word = |i: usize| self.words.get(i).map(String::as_str).unwrap_or("");
        let other = |i: usize| self.others.get(i).copied().map(named).unwrap_or_default();
        let k = kind(self.element);
        let about = format!("{k} {this}");
        match self.rule {
            Rule::R1 => {
                let to = self.others.first().copied();
                format!(
                    "{about}: {} {}(으)로 가는 화살표는 이벤트 스토밍에서 뜻이 없습니다",
                    to.map_or("", kind),
                    other(0)
                )
            }
            Rule::R2 => format!("{about}: 처리할 애그리거트가 없습니다"),
            Rule::R3 => format!("{about}: 다른 바운디드 컨텍스트의 애그리거트가 처리합니다"),
            Rule::R4 => format!("{about}: 결과 이벤트가 없습니다"),
            Rule::R5 => {
                let names: Vec<String> = self.others.iter().map(|id| named(*id)).collect();
                format!(
                    "{about}: 결과가 {} 중 어느 것인지 정해지지 않았습니다. 결과 이벤트로 화살표를 그리세요",
                    names.join(", ")
                )
            }
            Rule::R6 => format!("{about}: 이 이벤트를 발생시키는 것이 없습니다"),
            Rule::R7 => format!("{about}: 처리하는 커맨드가 없습니다"),
            Rule::R8 => format!("{about}: 발생시키는 이벤트가 없습니다"),
            Rule::R9 => format!("{about}: 키 필드가 없습니다"),
            Rule::R10 => format!("{about}: 이름이 {:?}인 필드가 둘 있습니다", word(0)),
            Rule::R11 => format!(
                "{about}: 필드 {:?}의 타입 {}을(를) 보드의 어디에서도 정의하지 않습니다",
                word(0),
                word(1)
            ),
            Rule::R12 => format!("{about}: 시작하는 이벤트가 없습니다"),
            Rule::R13 => format!("{about}: 발행하는 커맨드가 없습니다"),
            Rule::R14 => format!("{about}: 원천 이벤트가 없습니다"),
            Rule::R15 => format!("{about}: 키 필드가 없습니다"),
            Rule::R16 => format!("{about}: 어느 바운디드 컨텍스트에도 속하지 않습니다"),
            Rule::R17 => format!(
                "{about}: 바운디드 컨텍스트 {}의 경계에 걸쳐 있습니다",
                other(0)
            ),
            Rule::R18 => format!("{k}: 이름이 없습니다"),
            Rule::R19 => format!("{about}: 한 바운디드 컨텍스트에 같은 이름이 둘 있습니다"),
            Rule::R20 => format!("{about}: 일어난 일처럼 읽히지 않습니다 (예: 주문됨)"),
            Rule::R21 => {
                format!("{about}: 일어난 일처럼 읽힙니다. 할 일을 이름으로 쓰세요 (예: 주문하기)")
            }
            Rule::R22 => format!(
                "{about}: 다른 바운디드 컨텍스트의 커맨드 {}를 발행합니다. 동기 결합이니 그 컨텍스트가 이벤트에 반응하게 하세요",
                other(0)
            ),
            Rule::R23 => format!(
                "바운디드 컨텍스트 {}, {}: 서로 동기로 호출합니다. 한쪽이 이벤트에 반응하게 하세요",
                other(0),
                other(1)
            ),
            Rule::R24 => format!(
                "{about}: 같은 컨텍스트의 다른 커맨드와 {} {}를 함께 씁니다",
                word(0),
                word(1)
            ),
            Rule::R25 => format!("{about}: 경로의 {{{}}}는 필드가 아닙니다", word(0)),
            Rule::R32 => format!(
                "{about}: 경로 {}에 ASCII가 아닌 글자가 있습니다. 클라이언트와 게이트웨이가 다르게 인코딩할 수 있으니 {} 같은 ASCII 경로를 쓰세요",
                word(0),
                word(1)
            ),
            Rule::R26 => {
                format!("{about}: GET입니다. 커맨드는 상태를 바꾸고, 질문에는 읽기 모델이 답합니다")
            }
            Rule::R27 => format!("{about}: 아직 열려 있습니다"),
            Rule::R28 => format!("{about}: 예시가 보드에 없는 것을 가리킵니다 ({})", word(0)),
            Rule::R29 if self.others.len() > 1 => format!(
                "{about}: 이벤트 {}의 어느 필드도 커맨드 {}의 필드 {:?}을(를) 채우지 않습니다. 속성 패널에서 매핑하세요",
                other(0),
                other(1),
                word(0)
            ),
            Rule::R29 => format!(
                "{about}: 필드 {:?}을(를) 채우는 원천 이벤트가 없습니다. 속성 패널에서 매핑하세요",
                word(0)
            ),
            Rule::R30 if self.others.len() > 1 => format!(
                "{about}: 이벤트 {}로는 커맨드 {}가 어느 {}에 대한 것인지 알 수 없습니다 (키 {:?}을(를) 채우는 필드가 없음)",
                other(0),
                other(1),
                other(2),
                word(0)
            ),
            Rule::R30 => format!(
                "{about}: 이벤트 {}로는 어느 행을 고칠지 알 수 없습니다 (키 {:?}을(를) 채우는 필드가 없음)",
                other(0),
                word(0)
            ),
            Rule::R31 => format!(
                "{about}: 필드 매핑의 선택이 더는 맞지 않습니다 ({}). 속성 패널에서 다시 고르세요",
                word(0)
            ),
        }
    }

    /// What is wrong, in English, with the names the board has now.
    pub fn message(&self, board: &Board) -> String {
        let named = |id: Id| board.element(id).map(quoted).unwrap_or_default();
        let kind = |id: Id| board.element(id).map_or("", |e| kind_word(e.kind));
        let this = named(self.element);
        let word = |i: usize| self.words.get(i).map(String::as_str).unwrap_or("");
        let other = |i: usize| self.others.get(i).copied().map(named).unwrap_or_default();
        let k = kind(self.element);
        match self.rule {
            Rule::R1 => {
                let to = self.others.first().copied();
                format!(
                    "an arrow from {k} {this} to {} {} means nothing in event storming",
                    to.map_or("", kind),
                    other(0)
                )
            }
            Rule::R2 => format!("command {this} has no aggregate to handle it"),
            Rule::R3 => {
                format!("command {this} is handled by an aggregate of another bounded context")
            }
            Rule::R4 => format!("command {this} results in no event"),
            Rule::R5 => {
                let names: Vec<String> = self.others.iter().map(|id| named(*id)).collect();
                format!(
                    "command {this} may result in any of {}: draw an arrow to the one it results in",
                    names.join(", ")
                )
            }
            Rule::R6 => format!("event {this} is emitted by nothing"),
            Rule::R7 => format!("aggregate {this} handles no command"),
            Rule::R8 => format!("aggregate {this} emits no event"),
            Rule::R9 => format!("aggregate {this} has no key field"),
            Rule::R10 => format!("{k} {this} has two fields named {:?}", word(0)),
            Rule::R11 => format!(
                "field {:?} of {k} {this} has type {}, which nothing on the board defines",
                word(0),
                word(1)
            ),
            Rule::R12 => format!("policy {this} has no triggering event"),
            Rule::R13 => format!("policy {this} issues no command"),
            Rule::R14 => format!("read model {this} has no source events"),
            Rule::R15 => format!("read model {this} has no key field"),
            Rule::R16 => format!("{k} {this} is outside every bounded context"),
            Rule::R17 => format!(
                "{k} {this} lies across the edge of bounded context {}",
                other(0)
            ),
            Rule::R18 => format!("a {k} has no name"),
            Rule::R19 => format!("two {k}s are named {this} in one bounded context"),
            Rule::R20 => format!("event {this} does not read as something that happened"),
            Rule::R21 => {
                format!("command {this} reads as something that happened: name what to do")
            }
            Rule::R22 => format!(
                "policy {this} issues command {} of another bounded context: a synchronous coupling; let that context react to an event instead",
                other(0)
            ),
            Rule::R23 => format!(
                "bounded contexts {} and {} call each other synchronously: one of them should react to an event instead",
                other(0),
                other(1)
            ),
            Rule::R24 => format!(
                "command {this} shares {} {} with another command of its context",
                word(0),
                word(1)
            ),
            Rule::R25 => format!(
                "command {this}'s path names {{{}}}, which is none of its fields",
                word(0)
            ),
            Rule::R32 => format!(
                "command {this}'s path {} is not plain ASCII: clients, gateways and logs may encode it differently; use an ASCII path such as {}",
                word(0),
                word(1)
            ),
            Rule::R26 => format!(
                "command {this} is a GET: a command changes state, a read model answers questions"
            ),
            Rule::R27 => format!("hotspot {this} is still open"),
            Rule::R28 => format!("{k} {this}: {}", word(0)),
            Rule::R29 if self.others.len() > 1 => format!(
                "policy {this}: nothing in event {} fills field {:?} of command {}: map one in the properties panel",
                other(0),
                word(0),
                other(1)
            ),
            Rule::R29 => format!(
                "read model {this}: no source event fills field {:?}: map one in the properties panel",
                word(0)
            ),
            Rule::R30 if self.others.len() > 1 => format!(
                "policy {this} cannot tell which {} command {} acts on when event {} arrives: nothing in it fills the key {:?}",
                other(2),
                other(1),
                other(0),
                word(0)
            ),
            Rule::R30 => format!(
                "read model {this} cannot tell which row event {} updates: nothing in it fills the key {:?}",
                other(0),
                word(0)
            ),
            Rule::R31 => format!(
                "{k} {this}: a field mapping choice no longer holds ({}): choose again in the properties panel",
                word(0)
            ),
        }
    }
}

/// Every problem of `board`, sorted by element then rule.
pub fn check(board: &Board) -> Vec<Problem> {
    check_model(&Semantic::of(board))
}

/// Every problem of a board already read ([`Semantic::of`]), sorted by element then rule.
pub fn check_model(model: &Semantic) -> Vec<Problem> {
    let mut out = Checks {
        model,
        problems: Vec::with_capacity(model.board.elements().len()),
    };
    out.arrows();
    out.elements();
    out.commands();
    out.events();
    out.aggregates();
    out.policies_and_read_models();
    out.names();
    out.routes();
    out.call_cycles();
    out.examples();
    out.mappings();
    let mut problems = out.problems;
    // Stable: problems of one element and rule keep the order the pass found them in.
    problems.sort_by_key(|p| (p.element, p.rule));
    problems
}

struct Checks<'m, 'a> {
    model: &'m Semantic<'a>,
    problems: Vec<Problem>,
}

/// `"Order Placed"` or `(unnamed)`, for a message. Checked on every edit of boards with
/// thousands of problems, so it only escapes (Debug) the rare label that needs it.
fn quoted(e: &Element) -> String {
    let label = e.label.as_str();
    if label.trim().is_empty() {
        "(unnamed)".to_string()
    } else if label.contains(|c: char| c == '"' || c == '\\' || c.is_control()) {
        format!("{label:?}")
    } else {
        let mut out = String::with_capacity(label.len() + 2);
        out.push('"');
        out.push_str(label);
        out.push('"');
        out
    }
}

/// The kind as a message names it: `domain event`.
fn kind_word(kind: ElementKind) -> &'static str {
    match kind {
        ElementKind::DomainEvent => "domain event",
        ElementKind::Command => "command",
        ElementKind::Aggregate => "aggregate",
        ElementKind::Policy => "policy",
        ElementKind::ReadModel => "read model",
        ElementKind::Actor => "actor",
        ElementKind::ExternalSystem => "external system",
        ElementKind::Hotspot => "hotspot",
        ElementKind::BoundedContext => "bounded context",
        ElementKind::TextNote => "text",
    }
}

/// A hash of [`normalized`]`(label)` without building it; `None` for an empty name.
fn name_hash(label: &str) -> Option<u64> {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    let mut empty = true;
    for word in label.split_whitespace() {
        if !empty {
            hasher.write_u8(b' ');
        }
        empty = false;
        for c in word.chars() {
            if c.is_ascii() {
                hasher.write_u8(c.to_ascii_lowercase() as u8);
            } else {
                for lower in c.to_lowercase() {
                    hasher.write_u32(lower as u32);
                }
            }
        }
    }
    (!empty).then(|| hasher.finish())
}

/// The kind as a Korean message names it (the UI's kind names).
fn kind_word_ko(kind: ElementKind) -> &'static str {
    match kind {
        ElementKind::DomainEvent => "도메인 이벤트",
        ElementKind::Command => "커맨드",
        ElementKind::Aggregate => "애그리거트",
        ElementKind::Policy => "정책",
        ElementKind::ReadModel => "읽기 모델",
        ElementKind::Actor => "액터",
        ElementKind::ExternalSystem => "외부 시스템",
        ElementKind::Hotspot => "핫스팟",
        ElementKind::BoundedContext => "바운디드 컨텍스트",
        ElementKind::TextNote => "텍스트",
    }
}

/// A name as R19 compares names: lower case, runs of white space as one space (borrowed when
/// the label already is).
fn normalized(label: &str) -> Cow<'_, str> {
    let plain = !label.starts_with(char::is_whitespace)
        && !label.ends_with(char::is_whitespace)
        && !label.contains("  ")
        && label
            .chars()
            .all(|c| !c.is_uppercase() && (c == ' ' || !c.is_whitespace()));
    if plain {
        return Cow::Borrowed(label);
    }
    if label.is_ascii() {
        let mut out = String::with_capacity(label.len());
        for word in label.split_ascii_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        out.make_ascii_lowercase();
        return Cow::Owned(out);
    }
    let mut out = String::with_capacity(label.len());
    for word in label.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    Cow::Owned(out)
}

impl Checks<'_, '_> {
    fn add(&mut self, rule: Rule, e: &Element) {
        self.add_with(rule, e, Vec::new(), Vec::new());
    }

    fn add_with(&mut self, rule: Rule, e: &Element, others: Vec<Id>, words: Vec<String>) {
        self.problems.push(Problem {
            element: e.id,
            rule,
            severity: rule.severity(),
            arrow: None,
            others,
            words,
        });
    }

    /// R1: arrows the grammar does not allow (a hotspot or a text note may point anywhere).
    fn arrows(&mut self) {
        let board = self.model.board;
        for c in board.connections() {
            let (Some(from), Some(to)) = (board.element(c.from), board.element(c.to)) else {
                continue;
            };
            if matches!(from.kind, ElementKind::Hotspot | ElementKind::TextNote) {
                continue;
            }
            if from.kind.arrow_meaning(to.kind).is_none() {
                self.add_with(Rule::R1, from, vec![to.id], Vec::new());
                if let Some(p) = self.problems.last_mut() {
                    p.arrow = Some(c.id);
                }
            }
        }
    }

    /// R16 outside every context, R17 straddling a frame's edge, R27 open hotspots.
    fn elements(&mut self) {
        let board = self.model.board;
        let frames: Vec<&Element> = board
            .elements()
            .filter(|e| e.kind == ElementKind::BoundedContext)
            .collect();
        for e in board.elements() {
            let modelled = !matches!(
                e.kind,
                ElementKind::BoundedContext | ElementKind::Hotspot | ElementKind::TextNote
            );
            if e.kind == ElementKind::Hotspot {
                self.add(Rule::R27, e);
            }
            if !modelled {
                continue;
            }
            match self.model.context_of(e.id) {
                None => self.add(Rule::R16, e),
                Some(_) => {
                    let straddled = frames.iter().find(|f| {
                        let overlaps = e.x < f.x + f.width
                            && e.x + e.width > f.x
                            && e.y < f.y + f.height
                            && e.y + e.height > f.y;
                        let inside = e.x >= f.x
                            && e.y >= f.y
                            && e.x + e.width <= f.x + f.width
                            && e.y + e.height <= f.y + f.height;
                        overlaps && !inside
                    });
                    if let Some(frame) = straddled {
                        self.add_with(Rule::R17, e, vec![frame.id], Vec::new());
                    }
                }
            }
        }
    }

    /// R2 no aggregate, R3 another context's aggregate, R4 no result, R5 ambiguous result,
    /// R21 phrased as an event.
    fn commands(&mut self) {
        let board = self.model.board;
        for e in board.elements().filter(|e| e.kind == ElementKind::Command) {
            let handlers = self.model.targets(e.id, ElementKind::Aggregate);
            if self.model.handler(e.id).is_none() {
                if handlers.is_empty() {
                    self.add(Rule::R2, e);
                } else {
                    self.add(Rule::R3, e);
                }
            }
            match self.model.results(e.id) {
                Results::Nothing if self.model.handler(e.id).is_some() => self.add(Rule::R4, e),
                Results::Ambiguous(candidates) => {
                    self.add_with(Rule::R5, e, candidates, Vec::new());
                }
                _ => {}
            }
            if phrasing::command_reads_as_event(&e.label) {
                self.add(Rule::R21, e);
            }
        }
    }

    /// R6 emitted by nothing, R20 not phrased as something that happened.
    fn events(&mut self) {
        for e in self
            .model
            .board
            .elements()
            .filter(|e| e.kind == ElementKind::DomainEvent)
        {
            if !self.model.is_emitted(e.id) {
                self.add(Rule::R6, e);
            }
            if !e.label.trim().is_empty() && !phrasing::is_past(&e.label) {
                self.add(Rule::R20, e);
            }
        }
    }

    /// R7 no command, R8 no event, R9 no key; R10 duplicate field names and R11 undefined field
    /// types (any sticky with fields).
    fn aggregates(&mut self) {
        let board = self.model.board;
        for e in board.elements() {
            let mut seen = HashSet::new();
            for f in &e.props.fields {
                if let Some(unknown) = undefined_type(&f.ty, board) {
                    self.add_with(Rule::R11, e, Vec::new(), vec![f.name.clone(), unknown]);
                }
                if !seen.insert(f.name.trim().to_lowercase()) {
                    self.add_with(Rule::R10, e, Vec::new(), vec![f.name.clone()]);
                }
            }
            if e.kind != ElementKind::Aggregate {
                continue;
            }
            if self.model.sources(e.id, ElementKind::Command).is_empty() {
                self.add(Rule::R7, e);
            }
            if self
                .model
                .targets(e.id, ElementKind::DomainEvent)
                .is_empty()
            {
                self.add(Rule::R8, e);
            }
            if !e.props.fields.iter().any(|f| f.key) {
                self.add(Rule::R9, e);
            }
        }
    }

    /// R12/R13 a policy's trigger and command, R22 a command in another context, R14/R15 a
    /// read model's sources and key.
    fn policies_and_read_models(&mut self) {
        let board = self.model.board;
        for e in board.elements() {
            match e.kind {
                ElementKind::Policy => {
                    if self
                        .model
                        .sources(e.id, ElementKind::DomainEvent)
                        .is_empty()
                    {
                        self.add(Rule::R12, e);
                    }
                    let commands = self.model.targets(e.id, ElementKind::Command);
                    if commands.is_empty() {
                        self.add(Rule::R13, e);
                    }
                    let here = self.model.context_of(e.id);
                    for c in commands {
                        let there = self.model.context_of(c.id);
                        if here.is_some() && there.is_some() && here != there {
                            self.add_with(Rule::R22, e, vec![c.id], Vec::new());
                        }
                    }
                }
                ElementKind::ReadModel => {
                    if self
                        .model
                        .sources(e.id, ElementKind::DomainEvent)
                        .is_empty()
                    {
                        self.add(Rule::R14, e);
                    }
                    if !e.props.fields.iter().any(|f| f.key) {
                        self.add(Rule::R15, e);
                    }
                }
                _ => {}
            }
        }
    }

    /// R18 empty names, R19 one name twice for one kind within a context.
    fn names(&mut self) {
        let board = self.model.board;
        // Names are compared by a hash of their normalized form first (no text is built for
        // the thousands of names that occur once), then exactly where hashes meet.
        let mut named: Vec<(Option<Id>, ElementKind, u64, &Element)> = Vec::new();
        for e in board
            .elements()
            .filter(|e| !matches!(e.kind, ElementKind::TextNote | ElementKind::Hotspot))
        {
            let Some(hash) = name_hash(&e.label) else {
                self.add(Rule::R18, e);
                continue;
            };
            named.push((self.model.context_of(e.id), e.kind, hash, e));
        }
        let mut counts: FxHashMap<(Option<Id>, ElementKind, u64), u32> = FxHashMap::default();
        counts.reserve(named.len());
        for (context, kind, hash, _) in &named {
            *counts.entry((*context, *kind, *hash)).or_default() += 1;
        }
        type Exact<'b> = FxHashMap<(Option<Id>, ElementKind, Cow<'b, str>), Vec<&'b Element>>;
        let mut exact: Exact = FxHashMap::default();
        for (context, kind, hash, e) in &named {
            if counts[&(*context, *kind, *hash)] > 1 {
                exact
                    .entry((*context, *kind, normalized(&e.label)))
                    .or_default()
                    .push(e);
            }
        }
        let mut twice: Vec<&Element> = exact
            .into_values()
            .filter(|same| same.len() > 1)
            .flatten()
            .collect();
        twice.sort_by_key(|e| e.id);
        for e in twice {
            self.add(Rule::R19, e);
        }
    }

    /// R24 one route twice in a context, R25 a path parameter that is no field, R26 GET, R32 a
    /// path that is not plain ASCII.
    fn routes(&mut self) {
        let board = self.model.board;
        let mut routes: HashMap<(Option<Id>, &str, String), Vec<&Element>> = HashMap::new();
        for e in board.elements().filter(|e| e.kind == ElementKind::Command) {
            let method = e.props.http_method.unwrap_or(HttpMethod::Post);
            if method == HttpMethod::Get {
                self.add(Rule::R26, e);
            }
            let Some(path) = e.props.http_path.as_deref() else {
                continue;
            };
            if !phrasing::is_plain_path(path) {
                let ascii = phrasing::ascii_path(path);
                self.add_with(Rule::R32, e, Vec::new(), vec![path.to_string(), ascii]);
            }
            // The handling aggregate's instance (`PUT /orders/{id}/cancel`), as code names it.
            let instance = self.model.instance_parameter(e);
            for parameter in path_parameters(path) {
                if !e
                    .props
                    .fields
                    .iter()
                    .any(|f| plain(&f.name) == plain(parameter))
                    && instance != Some(parameter)
                {
                    self.add_with(Rule::R25, e, Vec::new(), vec![parameter.to_string()]);
                }
            }
            routes
                .entry((
                    self.model.context_of(e.id),
                    method.as_str(),
                    path.trim_end_matches('/').to_string(),
                ))
                .or_default()
                .push(e);
        }
        let mut twice: Vec<&Element> = routes
            .into_values()
            .filter(|same| same.len() > 1)
            .flatten()
            .collect();
        twice.sort_by_key(|e| e.id);
        for e in twice {
            let method = e.props.http_method.unwrap_or(HttpMethod::Post).as_str();
            let path = e.props.http_path.clone().unwrap_or_default();
            self.add_with(Rule::R24, e, Vec::new(), vec![method.to_string(), path]);
        }
    }

    /// R23: bounded contexts that call each other synchronously in a cycle (command → command
    /// across contexts, policy → command of another context).
    fn call_cycles(&mut self) {
        let board = self.model.board;
        let mut calls: HashMap<Id, HashSet<Id>> = HashMap::new();
        let mut via: HashMap<(Id, Id), &Element> = HashMap::new();
        for c in board.connections() {
            let (Some(from), Some(to)) = (board.element(c.from), board.element(c.to)) else {
                continue;
            };
            if to.kind != ElementKind::Command
                || !matches!(from.kind, ElementKind::Command | ElementKind::Policy)
            {
                continue;
            }
            if let (Some(a), Some(b)) =
                (self.model.context_of(from.id), self.model.context_of(to.id))
                && a != b
            {
                calls.entry(a).or_default().insert(b);
                via.entry((a, b)).or_insert(from);
            }
        }
        let mut reported = HashSet::new();
        for (&(a, b), from) in sorted(&via) {
            if reaches(&calls, b, a) && reported.insert(from.id) {
                self.add_with(Rule::R23, from, vec![a, b], Vec::new());
            }
        }
    }
}

impl Checks<'_, '_> {
    /// R28: examples that name events, commands or fields the board does not have (any more).
    fn examples(&mut self) {
        let board = self.model.board;
        for e in board.elements().filter(|e| !e.props.examples.is_empty()) {
            if let Err(why) =
                crate::model::check_references(e, &e.props.examples, |id| board.element(id))
            {
                self.add_with(Rule::R28, e, Vec::new(), vec![why.to_string()]);
            }
        }
    }
}

impl Checks<'_, '_> {
    /// R29 a field nothing fills, R30 a key nothing fills, R31 a stale explicit mapping.
    fn mappings(&mut self) {
        let board = self.model.board;
        for e in board
            .elements()
            .filter(|e| matches!(e.kind, ElementKind::Policy | ElementKind::ReadModel))
        {
            let fills = self.model.fills(e);
            let mut columns: Vec<&str> = Vec::new();
            for fill in fills.iter().filter(|f| f.is_unfilled(&fills)) {
                let words = vec![fill.field.to_string()];
                if fill.key {
                    let mut others = vec![fill.event.id];
                    others.extend(fill.command.map(|c| c.id));
                    others.extend(fill.acts_on.map(|a| a.id));
                    self.add_with(Rule::R30, e, others, words);
                } else if let Some(command) = fill.command {
                    self.add_with(Rule::R29, e, vec![fill.event.id, command.id], words);
                } else if !columns.contains(&fill.field) {
                    // A read model's column: once, whichever source events lack it.
                    columns.push(fill.field);
                    self.add_with(Rule::R29, e, Vec::new(), words);
                }
            }
            if !e.props.mapping.is_empty()
                && let Some(why) = self.model.stale_mapping(e, &fills)
            {
                self.add_with(Rule::R31, e, Vec::new(), vec![why]);
            }
        }
    }
}

fn sorted<K: Ord, V>(map: &HashMap<K, V>) -> Vec<(&K, &V)> {
    let mut entries: Vec<(&K, &V)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

/// Whether `to` is reachable from `from` along `calls`.
fn reaches(calls: &HashMap<Id, HashSet<Id>>, from: Id, to: Id) -> bool {
    let mut seen = HashSet::new();
    let mut stack = vec![from];
    while let Some(at) = stack.pop() {
        if at == to {
            return true;
        }
        if seen.insert(at) {
            stack.extend(calls.get(&at).into_iter().flatten().copied());
        }
    }
    false
}

/// The first value-object type in `ty` that no sticky of the board is named after (an aggregate
/// or a read model may serve as one).
fn undefined_type(ty: &FieldType, board: &Board) -> Option<String> {
    match ty {
        FieldType::Value(name) => {
            let defined = board.elements().any(|e| {
                matches!(e.kind, ElementKind::Aggregate | ElementKind::ReadModel)
                    && e.label
                        .split_whitespace()
                        .collect::<String>()
                        .eq_ignore_ascii_case(name)
            });
            (!defined).then(|| name.clone())
        }
        FieldType::List(inner) => undefined_type(inner, board),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
