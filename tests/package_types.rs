//! The payload types of the npm and PyPI packages, per event, generated from
//! the event catalog (`gpwh_webhooks::EVENTS` and each event's template), so that
//! they are never copied by hand and never drift from what `gpwh sign
//! --event` forges. The committed files must be what this renders:
//! `GPWH_UPDATE_TYPES=1 cargo test --test package_types` writes them again.
//!
//! What is known and what is guessed is carried into the types: the player
//! and the reward's result are documented on the vendor's page, so their
//! fields are required; every other result's shape comes from the vendor's
//! SDK or is illustrative, so its fields are optional, and each type says
//! which it is.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use gpwh_webhooks::{EVENTS, Event, Shape};
use serde_json::Value;

/// The time the templates are rendered at; any would do.
const TIME: &str = "2024-04-26T11:34:23.415923998Z";

const TYPESCRIPT: &str = "packages/javascript/src/events.d.ts";
const PYTHON: &str = "packages/python/src/gpwh_webhooks/events.py";

/// A JSON type, as the templates show it.
#[derive(Debug, Clone, PartialEq)]
enum Shaped {
    String,
    /// A literal string: a result's `__typename`.
    Literal(String),
    Integer,
    Float,
    Boolean,
    Null,
    /// A value some templates leave null: a purchase's `expiredAt`.
    Nullable(Box<Shaped>),
    Array(Box<Shaped>),
    /// An array the templates leave empty.
    UnknownArray,
    Object(Object),
}

#[derive(Debug, Clone, PartialEq)]
struct Object {
    /// Named in Python, where a TypedDict cannot be written inline.
    name: String,
    fields: Vec<(String, Shaped)>,
    /// Whether every field is there: what is documented.
    complete: bool,
}

fn shape_of(value: &Value, name: &str, complete: bool) -> Shaped {
    match value {
        Value::String(_) => Shaped::String,
        Value::Number(n) if n.is_i64() || n.is_u64() => Shaped::Integer,
        Value::Number(_) => Shaped::Float,
        Value::Bool(_) => Shaped::Boolean,
        Value::Null => Shaped::Null,
        Value::Array(items) => match items.first() {
            None => Shaped::UnknownArray,
            Some(first) => {
                let item = items[1..].iter().fold(
                    shape_of(first, &format!("{name}Item"), complete),
                    |item, other| merged(item, shape_of(other, &format!("{name}Item"), complete)),
                );
                Shaped::Array(Box::new(item))
            }
        },
        Value::Object(map) => Shaped::Object(Object {
            name: name.to_owned(),
            fields: map
                .iter()
                .map(|(key, value)| {
                    let shaped = if key == "__typename" {
                        Shaped::Literal(value.as_str().unwrap().to_owned())
                    } else {
                        shape_of(value, &format!("{name}{}", capitalized(key)), complete)
                    };
                    (key.clone(), shaped)
                })
                .collect(),
            complete,
        }),
    }
}

/// One type for what two templates show in one place: null and a value
/// make the value's type nullable, an empty array takes the other's items.
fn merged(a: Shaped, b: Shaped) -> Shaped {
    match (a, b) {
        (a, b) if a == b => a,
        (Shaped::Null, other) | (other, Shaped::Null) => match other {
            Shaped::Nullable(_) => other,
            other => Shaped::Nullable(Box::new(other)),
        },
        (Shaped::Nullable(a), b) | (b, Shaped::Nullable(a)) => {
            Shaped::Nullable(Box::new(merged(*a, b)))
        }
        (Shaped::UnknownArray, array @ Shaped::Array(_))
        | (array @ Shaped::Array(_), Shaped::UnknownArray) => array,
        (Shaped::Array(a), Shaped::Array(b)) => Shaped::Array(Box::new(merged(*a, *b))),
        (Shaped::Integer, Shaped::Float) | (Shaped::Float, Shaped::Integer) => Shaped::Float,
        (Shaped::Object(a), Shaped::Object(b)) => {
            let keys = |o: &Object| o.fields.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
            assert_eq!(
                keys(&a),
                keys(&b),
                "{}: two templates differ in their fields",
                a.name
            );
            Shaped::Object(Object {
                fields: a
                    .fields
                    .into_iter()
                    .zip(b.fields)
                    .map(|((key, a), (_, b))| (key, merged(a, b)))
                    .collect(),
                ..a
            })
        }
        (a, b) => panic!("no one type for {a:?} and {b:?}"),
    }
}

fn capitalized(key: &str) -> String {
    let mut chars = key.trim_start_matches('_').chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The catalog, as the types need it: the player, each result type once
/// (several events share one), and each event with its result's type.
struct Catalog {
    player: Object,
    results: BTreeMap<&'static str, (Object, Shape, Vec<&'static str>)>,
    events: Vec<&'static Event>,
}

fn catalog() -> Catalog {
    let mut player = None;
    let mut results: BTreeMap<&'static str, (Object, Shape, Vec<&'static str>)> = BTreeMap::new();
    for event in EVENTS {
        let template = event.template(TIME);
        let Shaped::Object(this_player) = shape_of(&template["player"], "Player", true) else {
            panic!("{}: the player is not an object", event.name())
        };
        assert_eq!(
            player.get_or_insert_with(|| this_player.clone()),
            &this_player,
            "{}: the player differs",
            event.name()
        );
        let complete = event.result_shape() == Shape::Documented;
        let Shaped::Object(result) = shape_of(&template["result"], event.result_type(), complete)
        else {
            panic!("{}: the result is not an object", event.name())
        };
        let entry = results
            .entry(event.result_type())
            .or_insert_with(|| (result.clone(), event.result_shape(), Vec::new()));
        assert_eq!(entry.1, event.result_shape(), "{}", event.name());
        let Shaped::Object(both) = merged(Shaped::Object(entry.0.clone()), Shaped::Object(result))
        else {
            unreachable!("two objects merge into one")
        };
        entry.0 = both;
        entry.2.push(event.name());
        let keys: Vec<&str> = template
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["event", "player", "result", "time"],
            "{}",
            event.name()
        );
    }
    Catalog {
        player: player.expect("the catalog lists events"),
        results,
        events: EVENTS.iter().collect(),
    }
}

const HEADER_LINES: [&str; 3] = [
    "Generated from gpwh's event catalog (src/event/) by tests/package_types.rs: do not edit.",
    "`GPWH_UPDATE_TYPES=1 cargo test --test package_types` writes it again. The player and the",
    "reward's result are documented by GamePush; every other result's shape is not, so its fields are optional.",
];

fn typescript(catalog: &Catalog) -> String {
    let mut out = String::new();
    for line in HEADER_LINES {
        writeln!(out, "// {line}").unwrap();
    }
    out.push('\n');
    writeln!(
        out,
        "/** The player a webhook is about, as GamePush's webhook page documents it. */"
    )
    .unwrap();
    writeln!(
        out,
        "export interface Player {}\n",
        ts_object(&catalog.player, 0)
    )
    .unwrap();
    for (name, (result, shape, events)) in &catalog.results {
        writeln!(
            out,
            "/** The `result` of {}: its shape is {}. */",
            events.join(", "),
            shape.source()
        )
        .unwrap();
        writeln!(out, "export interface {name} {}\n", ts_object(result, 0)).unwrap();
    }
    for event in &catalog.events {
        writeln!(out, "/** {}: {}. */", event.name(), event.description()).unwrap();
        writeln!(out, "export interface {}Payload {{", event.name()).unwrap();
        writeln!(out, "  event: '{}';", event.name()).unwrap();
        writeln!(out, "  player: Player;").unwrap();
        writeln!(out, "  result: {};", event.result_type()).unwrap();
        writeln!(out, "  /** When the operation happened, in RFC 3339. */").unwrap();
        writeln!(out, "  time: string;").unwrap();
        writeln!(out, "}}\n").unwrap();
    }
    writeln!(out, "/** Every event GamePush's webhook page lists. */").unwrap();
    writeln!(out, "export type EventName =").unwrap();
    for (index, event) in catalog.events.iter().enumerate() {
        let end = if index + 1 == catalog.events.len() {
            ";"
        } else {
            ""
        };
        writeln!(out, "  | '{}'{end}", event.name()).unwrap();
    }
    out.push('\n');
    writeln!(
        out,
        "/** A webhook's payload: narrow it by `event`. GamePush adds events, so a server answers 2xx to one it does not know. */"
    )
    .unwrap();
    writeln!(out, "export type Payload =").unwrap();
    for (index, event) in catalog.events.iter().enumerate() {
        let end = if index + 1 == catalog.events.len() {
            ";"
        } else {
            ""
        };
        writeln!(out, "  | {}Payload{end}", event.name()).unwrap();
    }
    out
}

fn ts_object(object: &Object, depth: usize) -> String {
    let indent = "  ".repeat(depth + 1);
    let optional = if object.complete { "" } else { "?" };
    let mut out = String::from("{\n");
    for (key, shaped) in &object.fields {
        let key_text = if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            key.clone()
        } else {
            format!("'{key}'")
        };
        let mark = if matches!(shaped, Shaped::Literal(_)) {
            ""
        } else {
            optional
        };
        writeln!(
            out,
            "{indent}{key_text}{mark}: {};",
            ts_type(shaped, depth + 1)
        )
        .unwrap();
    }
    out.push_str(&"  ".repeat(depth));
    out.push('}');
    out
}

fn ts_type(shaped: &Shaped, depth: usize) -> String {
    match shaped {
        Shaped::String => "string".into(),
        Shaped::Literal(text) => format!("'{text}'"),
        Shaped::Integer | Shaped::Float => "number".into(),
        Shaped::Boolean => "boolean".into(),
        Shaped::Null => "null".into(),
        Shaped::Nullable(inner) => format!("{} | null", ts_type(inner, depth)),
        Shaped::Array(item) => format!("Array<{}>", ts_type(item, depth)),
        Shaped::UnknownArray => "unknown[]".into(),
        Shaped::Object(object) => ts_object(object, depth),
    }
}

fn python(catalog: &Catalog) -> String {
    let mut out = String::from("\"\"\"The payload of each GamePush event, as TypedDicts.\n\n");
    for line in HEADER_LINES {
        writeln!(out, "{line}").unwrap();
    }
    out.push_str("\"\"\"\n\n");
    out.push_str("from typing import Any, List, Literal, Optional, TypedDict, Union\n\n");
    let mut defined = Vec::new();
    py_object(
        &catalog.player,
        "The player a webhook is about, as GamePush's webhook page documents it.",
        &mut out,
        &mut defined,
    );
    for (result, shape, events) in catalog.results.values() {
        let about = format!(
            "The `result` of {}: its shape is {}.",
            events.join(", "),
            shape.source()
        );
        py_object(result, &about, &mut out, &mut defined);
    }
    for event in &catalog.events {
        writeln!(out, "{}Payload = TypedDict(", event.name()).unwrap();
        writeln!(out, "    \"{}Payload\",", event.name()).unwrap();
        writeln!(out, "    {{").unwrap();
        writeln!(out, "        \"event\": Literal[\"{}\"],", event.name()).unwrap();
        writeln!(out, "        \"player\": Player,").unwrap();
        writeln!(out, "        \"result\": {},", event.result_type()).unwrap();
        writeln!(out, "        \"time\": str,").unwrap();
        writeln!(out, "    }},").unwrap();
        writeln!(out, ")").unwrap();
        writeln!(
            out,
            "\"\"\"{}: {}.\"\"\"\n",
            event.name(),
            event.description()
        )
        .unwrap();
    }
    writeln!(out, "EventName = Literal[").unwrap();
    for event in &catalog.events {
        writeln!(out, "    \"{}\",", event.name()).unwrap();
    }
    writeln!(out, "]").unwrap();
    writeln!(
        out,
        "\"\"\"Every event GamePush's webhook page lists.\"\"\"\n"
    )
    .unwrap();
    writeln!(out, "Payload = Union[").unwrap();
    for event in &catalog.events {
        writeln!(out, "    {}Payload,", event.name()).unwrap();
    }
    writeln!(out, "]").unwrap();
    writeln!(
        out,
        "\"\"\"A webhook's payload: narrow it by its \"event\". GamePush adds events, so a server\nanswers 2xx to one it does not know.\"\"\"\n"
    )
    .unwrap();
    writeln!(out, "__all__ = [").unwrap();
    let mut names: Vec<String> = defined;
    names.extend(
        catalog
            .events
            .iter()
            .map(|e| format!("{}Payload", e.name())),
    );
    names.extend(["EventName".to_owned(), "Payload".to_owned()]);
    for name in names {
        writeln!(out, "    \"{name}\",").unwrap();
    }
    writeln!(out, "]").unwrap();
    // Import only what is used: `Any` for an array whose items are
    // unknown, `Optional` for a nullable value.
    for (name, used) in [("Any, ", "[Any]"), ("Optional, ", "Optional[")] {
        if !out.contains(used) {
            out = out.replacen(name, "", 1);
        }
    }
    out
}

/// Writes `object` and, before it, every object inside it, each as a named
/// TypedDict.
fn py_object(object: &Object, about: &str, out: &mut String, defined: &mut Vec<String>) {
    for (_, shaped) in &object.fields {
        let mut inner = shaped;
        while let Shaped::Array(item) | Shaped::Nullable(item) = inner {
            inner = item;
        }
        if let Shaped::Object(nested) = inner {
            let about = format!("Inside {}.", object.name);
            py_object(nested, &about, out, defined);
        }
    }
    writeln!(out, "{} = TypedDict(", object.name).unwrap();
    writeln!(out, "    \"{}\",", object.name).unwrap();
    writeln!(out, "    {{").unwrap();
    for (key, shaped) in &object.fields {
        writeln!(out, "        \"{key}\": {},", py_type(shaped)).unwrap();
    }
    writeln!(out, "    }},").unwrap();
    if !object.complete {
        writeln!(out, "    total=False,").unwrap();
    }
    writeln!(out, ")").unwrap();
    writeln!(out, "\"\"\"{about}\"\"\"\n").unwrap();
    defined.push(object.name.clone());
}

fn py_type(shaped: &Shaped) -> String {
    match shaped {
        Shaped::String => "str".into(),
        Shaped::Literal(text) => format!("Literal[\"{text}\"]"),
        Shaped::Integer => "int".into(),
        Shaped::Float => "float".into(),
        Shaped::Boolean => "bool".into(),
        Shaped::Null => "None".into(),
        Shaped::Nullable(inner) => format!("Optional[{}]", py_type(inner)),
        Shaped::Array(item) => format!("List[{}]", py_type(item)),
        Shaped::UnknownArray => "List[Any]".into(),
        Shaped::Object(object) => object.name.clone(),
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compares `rendered` with the committed file, or writes it when
/// GPWH_UPDATE_TYPES is set.
fn holds(path: &str, rendered: &str) {
    let file = repo().join(path);
    if std::env::var_os("GPWH_UPDATE_TYPES").is_some() {
        std::fs::write(&file, rendered).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        committed == rendered,
        "{path} is not what the event catalog gives: run GPWH_UPDATE_TYPES=1 cargo test --test package_types"
    );
}

#[test]
fn the_npm_package_types_each_event_from_the_catalog() {
    holds(TYPESCRIPT, &typescript(&catalog()));
}

#[test]
fn the_pypi_package_types_each_event_from_the_catalog() {
    holds(PYTHON, &python(&catalog()));
}

#[test]
fn every_event_is_in_the_union_and_only_documented_shapes_are_required() {
    let catalog = catalog();
    let ts = typescript(&catalog);
    for event in EVENTS {
        assert!(
            ts.contains(&format!("  | {}Payload", event.name())),
            "{}",
            event.name()
        );
        assert!(
            ts.contains(&format!("  | '{}'", event.name())),
            "{}",
            event.name()
        );
    }
    assert_eq!(catalog.events.len(), 33);
    // The reward is documented: its fields are required; a purchase's are
    // the SDK's: optional.
    assert!(ts.contains(
        "export interface PlayerReward {\n  __typename: 'PlayerReward';\n  countAccepted: number;"
    ));
    assert!(ts.contains("export interface PlayerPurchaseOutput {\n  __typename: 'PlayerPurchaseOutput';\n  product?: {"));
    let py = python(&catalog);
    assert!(py.contains("PlayerReward = TypedDict(\n    \"PlayerReward\",\n    {\n        \"__typename\": Literal[\"PlayerReward\"],\n        \"countAccepted\": int,"));
    assert!(py.contains(
        "    total=False,\n)\n\"\"\"The `result` of PurchasePlayerPurchase, ConsumePlayerPurchase"
    ));
}
