//! The assessment's exports (docs/assessment.md): the context map as Mermaid and as Context
//! Mapper CML, and a Markdown design document per board. All three read one
//! [`Assessment`](squall_model::semantic::assess::Assessment) through one template context
//! ([`DesignCtx`]); templates in `server/codegen/templates/design/`, overridable like the others.

use std::collections::HashSet;

use serde::Serialize;
use squall_model::model::example::text::to_text;
use squall_model::model::{Board, Element, ElementKind, FieldType, HttpMethod, Id};
use squall_model::semantic::Semantic;
use squall_model::semantic::assess::cut::Score;
use squall_model::semantic::assess::plan::{Reason, Risk};
use squall_model::semantic::assess::{Assessment, Style};
use squall_model::semantic::rules::Problem;

use crate::names::{self, Scope};
use crate::shared::{self, File, files};
use crate::{GenerateError, Options, Rendered, Target, file_stem, messages};

const MERMAID: &[File] = files!["design": ("context-map.mmd.j2", "context-map.mmd")];
const CML: &[File] = files!["design": ("context-map.cml.j2", "context-map.cml")];
const MARKDOWN: &[File] = files!["design": ("design.md.j2", "design.md")];

/// `context-map-mermaid`: the context map as a Mermaid flowchart.
pub struct ContextMapMermaid;
/// `context-map-cml`: the context map and the bounded contexts as Context Mapper CML.
pub struct ContextMapCml;
/// `design-doc`: the board's design document in Markdown.
pub struct DesignDoc;

impl Target for ContextMapMermaid {
    fn id(&self) -> &'static str {
        "context-map-mermaid"
    }
    fn title(&self) -> &'static str {
        "Context map (Mermaid)"
    }
    fn file_name(&self, stem: &str) -> String {
        format!("{stem}-context-map.mmd")
    }
    fn single_file(&self) -> bool {
        true
    }
    fn content_type(&self) -> &'static str {
        "text/vnd.mermaid; charset=utf-8"
    }
    fn render(&self, board: &Board, options: &Options) -> Result<Rendered, GenerateError> {
        one_file(self, board, options, MERMAID)
    }
}

impl Target for ContextMapCml {
    fn id(&self) -> &'static str {
        "context-map-cml"
    }
    fn title(&self) -> &'static str {
        "Context map (Context Mapper CML)"
    }
    fn file_name(&self, stem: &str) -> String {
        format!("{stem}-context-map.cml")
    }
    fn single_file(&self) -> bool {
        true
    }
    fn content_type(&self) -> &'static str {
        "text/plain; charset=utf-8"
    }
    fn render(&self, board: &Board, options: &Options) -> Result<Rendered, GenerateError> {
        one_file(self, board, options, CML)
    }
}

impl Target for DesignDoc {
    fn id(&self) -> &'static str {
        "design-doc"
    }
    fn title(&self) -> &'static str {
        "Design document (Markdown)"
    }
    fn file_name(&self, stem: &str) -> String {
        format!("{stem}-design.md")
    }
    fn single_file(&self) -> bool {
        true
    }
    fn content_type(&self) -> &'static str {
        "text/markdown; charset=utf-8"
    }
    fn render(&self, board: &Board, options: &Options) -> Result<Rendered, GenerateError> {
        one_file(self, board, options, MARKDOWN)
    }
}

fn one_file(
    target: &dyn Target,
    board: &Board,
    options: &Options,
    files: &'static [File],
) -> Result<Rendered, GenerateError> {
    let mut ctx = DesignCtx::of(board);
    let overrides = options.templates.as_deref();
    if std::ptr::eq(files, MARKDOWN) {
        // The design document shows the context map as a Mermaid block.
        let map = shared::render(
            &[MERMAID],
            overrides,
            minijinja::Value::from_serialize(&ctx),
            &[],
        )?;
        ctx.mermaid = map.into_values().next().unwrap_or_default();
    }
    let rendered = shared::render(
        &[files],
        overrides,
        minijinja::Value::from_serialize(&ctx),
        &[],
    )?;
    let body = rendered.into_values().next().unwrap_or_default();
    let problems = ctx.problems;
    Ok(Rendered {
        files: [(target.file_name(&file_stem(board.title())), body)].into(),
        messages: messages(board, &problems),
        problems,
    })
}

/// What the three templates read.
#[derive(Debug, Serialize)]
pub struct DesignCtx {
    pub title: String,
    /// The title as a CML name.
    pub cml_name: String,
    pub contexts: Vec<ContextCtx>,
    pub relations: Vec<RelationCtx>,
    /// Each cycle as its contexts' names.
    pub cycles: Vec<Vec<String>>,
    pub sync_chains: Vec<Vec<String>>,
    pub cut: CutCtx,
    pub plan: PlanCtx,
    /// The rendered Mermaid map (the design document embeds it).
    pub mermaid: String,
    /// Problems on elements in no frame.
    pub loose_problems: Vec<String>,
    /// Every problem, for the export's list (the assessment checked the model once).
    #[serde(skip)]
    pub problems: Vec<Problem>,
}

#[derive(Debug, Serialize)]
pub struct ContextCtx {
    pub name: String,
    /// `c0`, `c1`, …: the Mermaid node id.
    pub node: String,
    pub cml: String,
    pub description: String,
    pub counts: squall_model::semantic::assess::Counts,
    pub afferent: usize,
    pub efferent: usize,
    /// Two decimals, or "–".
    pub instability: String,
    pub sync_fan_out: usize,
    pub in_cycle: bool,
    pub api: Vec<ApiCtx>,
    pub published: Vec<EventCtx>,
    pub consumed: Vec<EventCtx>,
    pub events: Vec<EventCtx>,
    pub read_models: Vec<ReadModelCtx>,
    /// Its aggregates; in CML, a last `<Context>Events` aggregate holds events no aggregate of
    /// the context emits.
    pub aggregates: Vec<AggregateCtx>,
    pub external_calls: Vec<String>,
    pub examples: Vec<ExampleCtx>,
    pub hotspots: Vec<String>,
    pub problems: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ApiCtx {
    pub command: String,
    pub method: String,
    pub path: String,
    pub fields: String,
    pub results: String,
}

#[derive(Debug, Serialize)]
pub struct EventCtx {
    pub name: String,
    pub cml: String,
    /// Its context's name, for consumed events.
    pub context: String,
    pub fields: String,
    pub cml_fields: Vec<CmlField>,
}

#[derive(Debug, Serialize)]
pub struct ReadModelCtx {
    pub name: String,
    pub fields: String,
    pub sources: String,
}

#[derive(Debug, Serialize)]
pub struct AggregateCtx {
    pub name: String,
    pub cml: String,
    /// The CML name of its root entity.
    pub root: String,
    pub fields: String,
    pub cml_fields: Vec<CmlField>,
    /// The events it emits, as CML domain events.
    pub events: Vec<EventCtx>,
}

#[derive(Debug, Serialize)]
pub struct CmlField {
    pub ty: String,
    pub name: String,
    pub key: bool,
}

#[derive(Debug, Serialize)]
pub struct ExampleCtx {
    pub owner: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct RelationCtx {
    pub upstream: String,
    pub downstream: String,
    pub up_node: String,
    pub down_node: String,
    pub up_cml: String,
    pub down_cml: String,
    /// `events` or `calls`.
    pub style: &'static str,
    pub through: Vec<String>,
    pub in_cycle: bool,
    /// Two relations between one pair (events and calls) are one in CML: the calls one says both.
    pub cml_skip: bool,
    pub cml_technology: String,
}

#[derive(Debug, Serialize)]
pub struct CutCtx {
    pub current: Score,
    pub suggested: Score,
    pub unchanged: bool,
    pub groups: Vec<GroupCtx>,
    pub moves: Vec<MoveCtx>,
}

#[derive(Debug, Serialize)]
pub struct GroupCtx {
    pub name: String,
    pub new: bool,
    pub units: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct MoveCtx {
    pub unit: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Serialize)]
pub struct PlanCtx {
    pub monolith: Option<String>,
    pub waves: Vec<Vec<StepCtx>>,
}

#[derive(Debug, Serialize)]
pub struct StepCtx {
    pub part: String,
    pub reason: String,
    pub risks: Vec<String>,
}

/// Words of Context Mapper's grammar (ContextMappingDSL.xtext and TacticDDDLanguage.xtext of
/// context-mapper-dsl 6.6.1): a name that is one is written `^Name`.
const CML_KEYWORDS: &[&str] = &[
    "ACL",
    "AccessObject",
    "Aggregate",
    "Application",
    "ApplicationPart",
    "Bag",
    "BasicType",
    "BigDecimal",
    "BigInteger",
    "Blob",
    "Boolean",
    "BoundedContext",
    "C",
    "CF",
    "CHAR",
    "CONCRETE",
    "Clob",
    "Collection",
    "Command",
    "CommandEvent",
    "Consumer",
    "ContextMap",
    "D",
    "DELETE",
    "DataTransferObject",
    "Date",
    "DateTime",
    "Domain",
    "DomainEvent",
    "Double",
    "Entity",
    "Event",
    "Flow",
    "Float",
    "GET",
    "INTEGER",
    "Integer",
    "JOINED",
    "Key",
    "List",
    "Long",
    "META",
    "Map",
    "Module",
    "O",
    "OHS",
    "P",
    "PL",
    "POST",
    "PUT",
    "PagedResult",
    "PagingParameter",
    "Partnership",
    "Repository",
    "Resource",
    "S",
    "SINGLE_TABLE",
    "SK",
    "STRING",
    "Service",
    "Set",
    "String",
    "Subdomain",
    "TacticDDDApplication",
    "Timestamp",
    "Trait",
    "U",
    "UseCase",
    "UserStory",
    "ValueObject",
    "X",
];

/// Whether `word` is a keyword of the CML grammar (also lower-case ones: `key`, `hint`, …).
fn cml_keyword(word: &str) -> bool {
    CML_KEYWORDS.contains(&word) || CML_LOWER.contains(&word)
}

/// The grammar's lower-case words.
const CML_LOWER: &[&str] = &[
    "a",
    "abstract",
    "actor",
    "aggregateLifecycle",
    "aggregateRoot",
    "aggregates",
    "an",
    "assertFalse",
    "assertTrue",
    "async",
    "auditable",
    "availabilityCriticality",
    "basicType",
    "belongsTo",
    "benefit",
    "boolean",
    "by",
    "cache",
    "cascade",
    "changeable",
    "commands",
    "consistencyCriticality",
    "contains",
    "contentVolatility",
    "creditCardNumber",
    "databaseColumn",
    "databaseJoinColumn",
    "databaseJoinTable",
    "databaseTable",
    "databaseType",
    "decimalMax",
    "decimalMin",
    "delegates",
    "digits",
    "discriminatorColumn",
    "discriminatorLength",
    "discriminatorType",
    "discriminatorValue",
    "domainVisionStatement",
    "double",
    "downstreamRights",
    "email",
    "emits",
    "event",
    "eventBus",
    "exposedAggregates",
    "extends",
    "fetch",
    "features",
    "float",
    "flow",
    "future",
    "gap",
    "hint",
    "id",
    "implementationTechnology",
    "implements",
    "import",
    "index",
    "inheritanceType",
    "int",
    "inverse",
    "is",
    "key",
    "knowledgeLevel",
    "length",
    "likelihoodForChange",
    "long",
    "max",
    "min",
    "name",
    "nogap",
    "notBlank",
    "notEmpty",
    "nullable",
    "operations",
    "orderColumn",
    "orderby",
    "owner",
    "package",
    "past",
    "pattern",
    "persistent",
    "private",
    "protected",
    "public",
    "publish",
    "range",
    "read",
    "realizes",
    "refines",
    "required",
    "responsibilities",
    "returns",
    "scaffold",
    "securityAccessGroup",
    "securityCriticality",
    "securityZone",
    "size",
    "so",
    "state",
    "states",
    "storageSimilarity",
    "structuralVolatility",
    "subscribe",
    "supports",
    "that",
    "throws",
    "to",
    "transient",
    "type",
    "unique",
    "useCases",
    "userRequirements",
    "userStories",
    "validate",
    "void",
    "with",
    "write",
];

/// A CML name for `e`, unique in the whole model.
fn cml_of(scope: &mut Scope, e: &Element, kind: &str) -> String {
    cml_name(scope.unique(names::type_name(&e.label, kind)))
}

fn cml_name(base: String) -> String {
    if cml_keyword(&base) {
        format!("^{base}")
    } else {
        base
    }
}

impl DesignCtx {
    pub fn of(board: &Board) -> Self {
        let model = Semantic::of(board);
        let a = Assessment::of_model(&model);
        let label = |id: Id| {
            board
                .element(id)
                .map_or_else(String::new, |e| e.label.clone())
        };
        // Xtext resolves a reference among the objects of its type: contexts, aggregates and
        // domain objects (entities, events) each need unique names only among themselves.
        let mut scope = Scope::default();
        let mut aggregate_scope = Scope::default();
        let mut object_scope = Scope::default();
        let frames = model.contexts();
        // Contexts first: their names are the map's, kept short when a sticky has the same label.
        let context_cml: Vec<String> = frames
            .iter()
            .map(|f| cml_of(&mut scope, f, "context"))
            .collect();
        let mut contexts = Vec::new();
        for (i, (r, frame)) in a.contexts.iter().zip(&frames).enumerate() {
            let in_cycle = a.cycles.iter().any(|c| c.contains(&i));
            let event = |e: &Element, cml: String| EventCtx {
                name: e.label.clone(),
                cml,
                context: model.context_of(e.id).map(label).unwrap_or_default(),
                fields: field_list(e),
                cml_fields: cml_fields(e),
            };
            let api =
                model
                    .members(frame.id, ElementKind::Command)
                    .iter()
                    .map(|c| ApiCtx {
                        command: c.label.clone(),
                        method: c
                            .props
                            .http_method
                            .unwrap_or(HttpMethod::Post)
                            .as_str()
                            .to_string(),
                        path: c.props.http_path.clone().unwrap_or_else(|| {
                            format!("/{}", names::dns_name(&c.label, "command"))
                        }),
                        fields: field_list(c),
                        results: model
                            .results(c.id)
                            .events()
                            .iter()
                            .map(|e| label(*e))
                            .collect::<Vec<_>>()
                            .join(" or "),
                    })
                    .collect();
            let mut aggregates: Vec<AggregateCtx> = Vec::new();
            let mut emitted_by: Vec<Id> = Vec::new();
            for e in model.members(frame.id, ElementKind::Aggregate) {
                aggregates.push(AggregateCtx {
                    name: e.label.clone(),
                    root: cml_of(&mut object_scope, e, "entity"),
                    cml: cml_of(&mut aggregate_scope, e, "aggregate"),
                    fields: field_list(e),
                    cml_fields: cml_fields(e),
                    events: Vec::new(),
                });
                emitted_by.push(e.id);
            }
            let mut loose = Vec::new();
            let mut events = Vec::new();
            for e in model.members(frame.id, ElementKind::DomainEvent) {
                let ctx = event(e, cml_of(&mut object_scope, e, "event"));
                let at = model
                    .emitter(e)
                    .and_then(|a| emitted_by.iter().position(|id| *id == a.id));
                events.push(event(e, ctx.cml.clone()));
                match at {
                    Some(i) => aggregates[i].events.push(ctx),
                    None => loose.push(ctx),
                }
            }
            if !loose.is_empty() {
                let name = names::type_name(&frame.label, "context");
                aggregates.push(AggregateCtx {
                    name: String::new(),
                    root: String::new(),
                    cml: cml_name(aggregate_scope.unique(format!("{name}Events"))),
                    fields: String::new(),
                    cml_fields: Vec::new(),
                    events: loose,
                });
            }
            let mut examples = Vec::new();
            for kind in [ElementKind::Command, ElementKind::Policy] {
                for e in model.members(frame.id, kind) {
                    for x in &e.props.examples {
                        examples.push(ExampleCtx {
                            owner: e.label.clone(),
                            text: to_text(x, board),
                        });
                    }
                }
            }
            let by_id = |ids: &[Id]| -> Vec<EventCtx> {
                ids.iter()
                    .filter_map(|id| board.element(*id))
                    .map(|e| event(e, String::new()))
                    .collect()
            };
            contexts.push(ContextCtx {
                name: r.name.clone(),
                node: format!("c{i}"),
                cml: context_cml[i].clone(),
                description: frame.props.description.clone(),
                counts: r.counts,
                afferent: r.afferent,
                efferent: r.efferent,
                instability: r
                    .instability
                    .map_or_else(|| "–".to_string(), |x| format!("{x:.2}")),
                sync_fan_out: r.sync_fan_out,
                in_cycle,
                api,
                published: by_id(&r.published),
                consumed: by_id(&r.consumed),
                events,
                read_models: model
                    .members(frame.id, ElementKind::ReadModel)
                    .iter()
                    .map(|e| ReadModelCtx {
                        name: e.label.clone(),
                        fields: field_list(e),
                        sources: model
                            .sources(e.id, ElementKind::DomainEvent)
                            .iter()
                            .map(|s| s.label.clone())
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
                    .collect(),
                aggregates,
                external_calls: r.external_calls.iter().map(|id| label(*id)).collect(),
                examples,
                hotspots: r.hotspots.iter().map(|id| label(*id)).collect(),
                problems: r.problems.iter().map(|p| p.message(board)).collect(),
            });
        }
        let name = |i: usize| contexts[i].name.clone();
        let pairs_with_calls: HashSet<(usize, usize)> = a
            .relations
            .iter()
            .filter(|r| r.style == Style::Calls)
            .map(|r| (r.upstream, r.downstream))
            .collect();
        let relations = a
            .relations
            .iter()
            .map(|r| {
                let through: Vec<String> = r.through.iter().map(|id| label(*id)).collect();
                let both = a
                    .relations
                    .iter()
                    .filter(|o| (o.upstream, o.downstream) == (r.upstream, r.downstream))
                    .map(|o| {
                        let words: Vec<String> = o.through.iter().map(|id| label(*id)).collect();
                        match o.style {
                            Style::Events => format!("Events: {}", words.join(", ")),
                            Style::Calls => format!("HTTP calls: {}", words.join(", ")),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                RelationCtx {
                    upstream: name(r.upstream),
                    downstream: name(r.downstream),
                    up_node: contexts[r.upstream].node.clone(),
                    down_node: contexts[r.downstream].node.clone(),
                    up_cml: contexts[r.upstream].cml.clone(),
                    down_cml: contexts[r.downstream].cml.clone(),
                    style: match r.style {
                        Style::Events => "events",
                        Style::Calls => "calls",
                    },
                    through,
                    in_cycle: r.in_cycle,
                    cml_skip: r.style == Style::Events
                        && pairs_with_calls.contains(&(r.upstream, r.downstream)),
                    cml_technology: both,
                }
            })
            .collect();
        let unit = |u: usize| label(a.cut.units[u].id);
        let group_name = |g: usize| a.cut.groups[g].name.clone();
        let cut = CutCtx {
            current: a.cut.current,
            suggested: a.cut.suggested,
            unchanged: a.cut.is_current(),
            groups: a
                .cut
                .groups
                .iter()
                .map(|g| GroupCtx {
                    name: g.name.clone(),
                    new: g.frame.is_none(),
                    units: g.units.iter().map(|u| unit(*u)).collect(),
                })
                .collect(),
            moves: a
                .cut
                .moves
                .iter()
                .map(|mv| {
                    let c = a.cut.carried_summary(&model, *mv);
                    let mut stickies: Vec<String> = c.shown.iter().map(|id| label(*id)).collect();
                    if c.more > 0 {
                        stickies.push(format!("{} more", c.more));
                    }
                    let from: Vec<String> = c
                        .from
                        .iter()
                        .map(|f| f.map(label).unwrap_or_else(|| "no frame".into()))
                        .collect();
                    MoveCtx {
                        unit: stickies.join(", "),
                        from: from.join(", "),
                        to: group_name(mv.1),
                    }
                })
                .collect(),
        };
        let part = |p: usize| a.plan.parts[p].name.clone();
        let parts = |ps: &[usize]| ps.iter().map(|p| part(*p)).collect::<Vec<_>>().join(", ");
        let plan = PlanCtx {
            monolith: a.plan.monolith.map(part),
            waves: a
                .plan
                .waves
                .iter()
                .map(|wave| {
                    wave.iter()
                        .map(|s| StepCtx {
                            part: part(s.part),
                            reason: match &s.reason {
                                Reason::NothingDependsOn => "no other part depends on it".into(),
                                Reason::EarlierDependOn { parts: ps } => {
                                    format!("only earlier waves depend on it ({})", parts(ps))
                                }
                                Reason::Cycle { with, earlier } if earlier.is_empty() => {
                                    format!("extracted together with {}: they depend on each other", parts(with))
                                }
                                Reason::Cycle { with, earlier } => format!(
                                    "extracted together with {}: they depend on each other; only earlier waves depend on them ({})",
                                    parts(with),
                                    parts(earlier)
                                ),
                                Reason::MonolithDependsOn { earlier } if earlier.is_empty() => {
                                    "only what remains in the monolith depends on it: once out, the monolith calls it as a service".into()
                                }
                                Reason::MonolithDependsOn { earlier } => format!(
                                    "only what remains in the monolith and earlier waves ({}) depend on it: once out, they call it as a service",
                                    parts(earlier)
                                ),
                            },
                            risks: s
                                .risks
                                .iter()
                                .map(|r| match r {
                                    Risk::Cycle { with } => format!(
                                        "in a cycle with {}: extract together, or turn one direction into events",
                                        parts(with)
                                    ),
                                    Risk::SharedData { read_model, event, from } => format!(
                                        "read model {} needs {} from {}: keep it fed by that event, not by a shared table",
                                        label(*read_model),
                                        label(*event),
                                        part(*from)
                                    ),
                                    Risk::Reference { aggregate, target, owner } => format!(
                                        "{} refers to {} (in {}): keep its id, not a foreign key",
                                        label(*aggregate),
                                        label(*target),
                                        part(*owner)
                                    ),
                                    Risk::ReferencedBy { aggregate, target, part: p } => format!(
                                        "{} (in {}) refers to its {}: publish its changes, keep the id stable",
                                        label(*aggregate),
                                        part(*p),
                                        label(*target)
                                    ),
                                    Risk::Calls { by, command, part: p } => format!(
                                        "{} calls {} of {} synchronously: replace with an event where it can wait",
                                        label(*by),
                                        label(*command),
                                        part(*p)
                                    ),
                                    Risk::CalledBy { by, command, part: p } => format!(
                                        "{} of {} calls its {} synchronously: keep that API stable or publish an event",
                                        label(*by),
                                        part(*p),
                                        label(*command)
                                    ),
                                })
                                .collect(),
                        })
                        .collect()
                })
                .collect(),
        };
        let loose_problems = a
            .problems
            .iter()
            .filter(|p| {
                model.context_of(p.element).is_none() && !frames.iter().any(|f| f.id == p.element)
            })
            .map(|p| p.message(board))
            .collect();
        let cycles = a
            .cycles
            .iter()
            .map(|c| c.iter().map(|i| name(*i)).collect())
            .collect();
        let sync_chains = a
            .sync_chains
            .iter()
            .map(|c| c.iter().map(|i| name(*i)).collect())
            .collect();
        let title_cml = cml_name(names::type_name(board.title(), "map"));
        Self {
            title: board.title().to_string(),
            cml_name: title_cml,
            contexts,
            relations,
            cycles,
            sync_chains,
            cut,
            plan,
            mermaid: String::new(),
            loose_problems,
            problems: a.problems,
        }
    }
}

/// `orderId: UUID (key), total: Money`.
fn field_list(e: &Element) -> String {
    e.props
        .fields
        .iter()
        .map(|f| {
            let key = if f.key { " (key)" } else { "" };
            format!("{}: {}{key}", f.name, f.ty)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The element's fields as CML attributes: CML types, camelCase names unique within it.
fn cml_fields(e: &Element) -> Vec<CmlField> {
    let mut scope = Scope::default();
    e.props
        .fields
        .iter()
        .map(|f| CmlField {
            ty: cml_type(&f.ty),
            name: cml_name(scope.unique(names::java_member_name(&names::snake_name(
                &f.name, "field",
            )))),
            key: f.key,
        })
        .collect()
}

fn cml_type(ty: &FieldType) -> String {
    match ty {
        FieldType::String | FieldType::Enum(_) => "String".into(),
        FieldType::Integer => "int".into(),
        FieldType::Long => "long".into(),
        FieldType::Double => "double".into(),
        FieldType::Boolean => "boolean".into(),
        FieldType::Date => "Date".into(),
        FieldType::DateTime => "DateTime".into(),
        FieldType::Uuid => "UUID".into(),
        FieldType::Money => "BigDecimal".into(),
        FieldType::List(inner) => format!("List<{}>", cml_type(inner)),
        FieldType::Value(name) => cml_name(names::type_name(name, "value")),
    }
}

/// Template filters: text made safe for Markdown, Mermaid labels and CML strings.
pub(crate) fn add_filters(env: &mut minijinja::Environment) {
    env.add_filter("md", md);
    env.add_filter("mermaid", mermaid);
    env.add_filter("cml_string", cml_string);
}

/// Markdown text: no markup, no HTML, one line (`|` escaped for tables).
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' | '!' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Mermaid label inside `"…"`: quotes, `#`, angle brackets and line breaks as entity codes.
pub fn mermaid(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The inside of a CML string (`"…"`): backslashes and quotes escaped, one line.
pub fn cml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_inert_in_markdown_mermaid_and_cml() {
        assert_eq!(md("<script>|*x*"), "&lt;script&gt;\\|\\*x\\*");
        assert_eq!(mermaid("a\"b#c<d>"), "a#quot;b#35;c#lt;d#gt;");
        assert_eq!(cml_string("a\"b\\c\nd"), "a\\\"b\\\\c d");
        assert_eq!(cml_name("Aggregate".into()), "^Aggregate");
        assert_eq!(cml_name("key".into()), "^key");
        assert_eq!(cml_name("Order".into()), "Order");
    }
}
