//! Code export benchmark (issue 7): a board of 20 bounded contexts × 25 elements, wired the way a
//! team draws them (commands → aggregate → events → policies → commands, read models, a
//! cross-context policy per context), exported to the rust-axum target as the HTTP export does
//! it: service model, templates, ZIP. Prints the median and worst time and the ZIP's size.
//!
//! `cargo run --release -p server --bin export-bench -- [--target rust-axum] [--contexts 20] [--runs 30]`
//! (`--target`: any target of the registry, `squall_codegen::TARGETS`).

use std::time::{Duration, Instant};

use app::model::{Board, Connection, Element, ElementKind, Field, Op, Patch, new_id};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let flag =
        |name: &str, default: usize| value(name).map_or(default, |v| v.parse().expect("a number"));
    let (contexts, runs) = (flag("--contexts", 20), flag("--runs", 30));
    let target_id = value("--target").map_or("rust-axum", String::as_str);
    let Some(target) = squall_codegen::target(target_id) else {
        panic!(
            "unknown --target; one of {}",
            squall_codegen::target_ids().join(", ")
        );
    };
    let board = board(contexts);
    let elements = board.elements().count() - contexts;
    let options = squall_codegen::Options::default();
    let mut times = Vec::with_capacity(runs);
    let mut size = 0;
    let mut files = 0;
    for _ in 0..runs {
        // What the HTTP download does: render the target, then the ZIP.
        let started = Instant::now();
        let rendered = target.render(&board, &options).expect("render");
        let zip = squall_codegen::zip("bench", &rendered.files);
        times.push(started.elapsed());
        (size, files) = (zip.len(), rendered.files.len());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{}: {contexts} contexts, {elements} elements, {} arrows: {files} files, ZIP {:.0} KiB; \
         export median {:.1} ms, worst {:.1} ms over {runs} runs",
        target.id(),
        board.connections().count(),
        size as f64 / 1024.0,
        ms(times[runs / 2]),
        ms(times[runs - 1]),
    );
}

/// 25 elements per context: 1 aggregate, 6 commands, 8 events, 4 policies, 3 read models, an
/// actor, an external system and a hotspot.
fn board(contexts: usize) -> Board {
    let mut board = Board::new("Export benchmark").expect("a valid title");
    let add =
        |board: &mut Board, kind, label: String, x: f64, y: f64, fields: &[(&str, &str, bool)]| {
            let mut element = Element::new(kind, &label, x, y);
            if kind == ElementKind::BoundedContext {
                (element.width, element.height) = (2_000.0, 2_000.0);
            }
            let id = element.id;
            board.apply(Op::CreateElement { element }).expect("create");
            if !fields.is_empty() {
                let fields = fields
                    .iter()
                    .map(|(name, ty, key)| Field {
                        name: name.to_string(),
                        ty: ty.parse().expect("type"),
                        key: *key,
                    })
                    .collect();
                board
                    .apply(Op::update(
                        id,
                        Patch {
                            fields: Some(fields),
                            ..Default::default()
                        },
                    ))
                    .expect("fields");
            }
            id
        };
    let arrow = |board: &mut Board, from, to| {
        board
            .apply(Op::Connect {
                connection: Connection {
                    id: new_id(),
                    from,
                    to,
                },
            })
            .expect("connect");
    };
    let mut first_events = Vec::new();
    let mut policies = Vec::new();
    for c in 0..contexts {
        let (x0, y0) = (c as f64 * 2_200.0, 0.0);
        add(
            &mut board,
            ElementKind::BoundedContext,
            format!("Context {c}"),
            x0,
            y0,
            &[],
        );
        let at = |i: usize| {
            (
                x0 + 50.0 + (i % 8) as f64 * 220.0,
                y0 + 50.0 + (i / 8) as f64 * 200.0,
            )
        };
        let id_fields: &[(&str, &str, bool)] = &[
            ("id", "UUID", true),
            ("name", "String", false),
            ("amount", "Money", false),
            ("items", "List<String>", false),
            ("status", "enum(OPEN, CLOSED)", false),
        ];
        let (x, y) = at(0);
        let aggregate = add(
            &mut board,
            ElementKind::Aggregate,
            format!("Thing {c}"),
            x,
            y,
            id_fields,
        );
        let mut events = Vec::new();
        for e in 0..8 {
            let (x, y) = at(1 + e);
            let event = add(
                &mut board,
                ElementKind::DomainEvent,
                format!("Thing {c} changed {e}"),
                x,
                y,
                &[
                    ("thing_id", "UUID", false),
                    ("name", "String", false),
                    ("at", "DateTime", false),
                ],
            );
            arrow(&mut board, aggregate, event);
            events.push(event);
        }
        first_events.push(events[0]);
        let mut commands = Vec::new();
        for (k, &event) in events.iter().enumerate().take(6) {
            let (x, y) = at(9 + k);
            let command = add(
                &mut board,
                ElementKind::Command,
                format!("Change thing {c} {k}"),
                x,
                y,
                &[("id", "UUID", false), ("name", "String", false)],
            );
            arrow(&mut board, command, aggregate);
            arrow(&mut board, command, event);
            commands.push(command);
        }
        for p in 0..4 {
            let (x, y) = at(15 + p);
            let policy = add(
                &mut board,
                ElementKind::Policy,
                format!("When {c} {p}"),
                x,
                y,
                &[],
            );
            arrow(&mut board, events[p + 2], policy);
            arrow(&mut board, policy, commands[p]);
            policies.push(policy);
        }
        for r in 0..3 {
            let (x, y) = at(19 + r);
            let view = add(
                &mut board,
                ElementKind::ReadModel,
                format!("Things {c} view {r}"),
                x,
                y,
                &[("name", "String", false), ("at", "DateTime", false)],
            );
            arrow(&mut board, events[r], view);
            arrow(&mut board, events[r + 3], view);
        }
        let (x, y) = at(22);
        let actor = add(
            &mut board,
            ElementKind::Actor,
            format!("User {c}"),
            x,
            y,
            &[],
        );
        arrow(&mut board, actor, commands[0]);
        let (x, y) = at(23);
        let external = add(
            &mut board,
            ElementKind::ExternalSystem,
            format!("Gateway {c}"),
            x,
            y,
            &[],
        );
        arrow(&mut board, commands[5], external);
        let (x, y) = at(24);
        add(
            &mut board,
            ElementKind::Hotspot,
            format!("Open question {c}"),
            x,
            y,
            &[],
        );
    }
    // Each context reacts to the previous context's first event: publish/subscribe across all.
    for c in 0..contexts {
        let previous = first_events[(c + contexts - 1) % contexts];
        arrow(&mut board, previous, policies[c * 4]);
    }
    board
}
