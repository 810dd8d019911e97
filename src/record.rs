//! What every record a script reads has in common. Each record is one type,
//! beside the code that makes it, rendered by serde: `verify --json`'s
//! [`Verdict`](crate::commands::verify::Verdict), `verify --lines`'
//! [`LineVerdict`](crate::commands::verify::LineVerdict), listen's log
//! line (`listen::delivery`) and `--json` line (`listen::line`), probe's report
//! (`probe::report`), facts' report (`facts::report`), the event list and
//! detail (`commands::events`). Their JSON Schemas in docs/schemas/ are generated from
//! these types (`schemas.rs`), and the tests validate real output against
//! them. Within 0.x, fields are added, never renamed or removed without a
//! note in CHANGELOG.md.
//!
//! Here: the literal `true` and `false` of a verdict's `valid` field, so
//! that each form of a record says which it is in its type and its schema.

use serde::{Serialize, Serializer};

/// `true`, always: the `valid` field of a record of a valid body.
#[derive(Debug, Clone, Copy, Default)]
pub struct True;

/// `false`, always: the `valid` field of a record of a body refused.
#[derive(Debug, Clone, Copy, Default)]
pub struct False;

impl Serialize for True {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(true)
    }
}

impl Serialize for False {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(false)
    }
}

#[cfg(test)]
mod schema {
    use std::borrow::Cow;

    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

    impl JsonSchema for super::True {
        fn schema_name() -> Cow<'static, str> {
            "True".into()
        }
        fn inline_schema() -> bool {
            true
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({ "const": true })
        }
    }

    impl JsonSchema for super::False {
        fn schema_name() -> Cow<'static, str> {
            "False".into()
        }
        fn inline_schema() -> bool {
            true
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({ "const": false })
        }
    }
}
