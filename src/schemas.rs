//! The JSON Schemas of the records scripts read, generated from their
//! types and committed under docs/schemas/. The test fails when a committed
//! schema differs from its type's; `GPWH_UPDATE_SCHEMAS=1 cargo test
//! --bins schemas` writes them anew. The integration tests validate real
//! output against the committed files.

use std::path::Path;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

use crate::commands::events::{EventDetail, Listed};
use crate::commands::verify::{LineVerdict, Verdict};
use crate::facts::report::FactsReport;
use crate::listen::deliveries::{Opened, Row};
use crate::listen::delivery::Delivery;
use crate::listen::inspector::Config;
use crate::listen::line::JsonLine;
use crate::probe::report::Report;

/// Every record, by the file its schema is committed in.
fn schemas() -> Vec<(&'static str, Schema)> {
    vec![
        ("verdict.json", schema::<Verdict<'_>>("gpwh verify --json")),
        (
            "line-verdict.json",
            schema::<LineVerdict<'_>>("gpwh verify --lines: one line"),
        ),
        (
            "listen-log.json",
            schema::<Delivery>("gpwh listen --log: one line"),
        ),
        (
            "listen-line.json",
            schema::<JsonLine<'_>>("gpwh listen --json: one line"),
        ),
        (
            "probe-report.json",
            schema::<Report<'_>>("gpwh probe --json"),
        ),
        ("facts.json", schema::<FactsReport<'_>>("gpwh facts --json")),
        ("events.json", schema::<Vec<Listed>>("gpwh events --json")),
        (
            "event.json",
            schema::<EventDetail<'_>>("gpwh events NAME --json"),
        ),
        (
            "inspector-row.json",
            schema::<Row<'_>>("gpwh listen --ui: a row of /api/stream"),
        ),
        (
            "inspector-delivery.json",
            schema::<Opened<'_>>("gpwh listen --ui: /api/deliveries/ID"),
        ),
        (
            "inspector-config.json",
            schema::<Config<'_>>("gpwh listen --ui: /api/config"),
        ),
    ]
}

/// The schema of `T`, draft 2020-12, titled after the output it describes.
fn schema<T: JsonSchema>(title: &str) -> Schema {
    let mut schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert("title".into(), title.into());
    schema
}

#[test]
fn the_committed_schemas_are_the_types() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schemas");
    let update = std::env::var_os("GPWH_UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for (file, schema) in schemas() {
        let path = dir.join(file);
        let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        if update {
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "stale in docs/schemas: {stale:?}; GPWH_UPDATE_SCHEMAS=1 cargo test --bins schemas writes them"
    );
}
