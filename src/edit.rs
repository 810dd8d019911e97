//! Edits to a payload's fields by dotted path (`player.id`,
//! `result.rewardId`), so a test body can differ from a template or a
//! capture in exactly the fields a test cares about.

use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::json_input::kind_of;

/// A dotted path to a field of nested objects, such as `player.id`.
///
/// Keys that themselves contain a `.` cannot be named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath(Vec<String>);

impl FromStr for FieldPath {
    type Err = EditError;

    fn from_str(path: &str) -> Result<Self, EditError> {
        let keys: Vec<String> = path.split('.').map(str::to_owned).collect();
        if keys.iter().any(String::is_empty) {
            return Err(EditError::BadPath(path.to_owned()));
        }
        Ok(FieldPath(keys))
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

/// One change to a payload.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Sets a field, creating missing objects on the way.
    Set(FieldPath, Value),
    /// Removes a field, which must exist.
    Unset(FieldPath),
}

impl Edit {
    /// Reads `PATH=VALUE`, taking VALUE as JSON when it parses as JSON and
    /// as a string otherwise: `player.id=42` sets a number,
    /// `player.name=Alex` a string.
    ///
    /// # Errors
    /// [`EditError::BadSet`] without `=`, [`EditError::BadPath`] for an
    /// empty key.
    pub fn parse_set(spec: &str) -> Result<Edit, EditError> {
        let (path, value) = split_set(spec)?;
        let value = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_owned()));
        Ok(Edit::Set(path, value))
    }

    /// Reads `PATH=VALUE`, taking VALUE as a string whatever it looks like.
    ///
    /// # Errors
    /// As [`Edit::parse_set`].
    pub fn parse_set_str(spec: &str) -> Result<Edit, EditError> {
        let (path, value) = split_set(spec)?;
        Ok(Edit::Set(path, Value::String(value.to_owned())))
    }

    /// Reads `PATH`, the field to remove.
    ///
    /// # Errors
    /// [`EditError::BadPath`] for an empty key.
    pub fn parse_unset(spec: &str) -> Result<Edit, EditError> {
        Ok(Edit::Unset(spec.parse()?))
    }

    /// Applies the edit to `payload`, which must be an object.
    ///
    /// # Errors
    /// [`EditError::NotAnObject`] when the path passes through something
    /// other than an object, [`EditError::NoSuchField`] when unsetting a
    /// field that is not there.
    pub fn apply(&self, payload: &mut Value) -> Result<(), EditError> {
        match self {
            Edit::Set(path, value) => {
                let (last, parents) = path.0.split_last().expect("a parsed path has a key");
                let object = walk(payload, path, parents, true)?;
                object.insert(last.clone(), value.clone());
                Ok(())
            }
            Edit::Unset(path) => {
                let (last, parents) = path.0.split_last().expect("a parsed path has a key");
                let object = walk(payload, path, parents, false)?;
                object
                    .shift_remove(last)
                    .map(|_| ())
                    .ok_or_else(|| EditError::NoSuchField(path.to_string()))
            }
        }
    }
}

fn split_set(spec: &str) -> Result<(FieldPath, &str), EditError> {
    let (path, value) = spec
        .split_once('=')
        .ok_or_else(|| EditError::BadSet(spec.to_owned()))?;
    Ok((path.parse()?, value))
}

/// The object at `keys` below `payload`, created on the way when `create`.
fn walk<'v>(
    payload: &'v mut Value,
    path: &FieldPath,
    keys: &[String],
    create: bool,
) -> Result<&'v mut Map<String, Value>, EditError> {
    let mut here = payload;
    let mut walked = 0;
    loop {
        let object = match here {
            Value::Object(object) => object,
            other => {
                return Err(EditError::NotAnObject {
                    path: path.to_string(),
                    at: if walked == 0 {
                        "the payload".to_owned()
                    } else {
                        format!("'{}'", keys[..walked].join("."))
                    },
                    found: kind_of(other),
                });
            }
        };
        let Some(key) = keys.get(walked) else {
            return Ok(object);
        };
        if !object.contains_key(key) {
            if !create {
                return Err(EditError::NoSuchField(path.to_string()));
            }
            object.insert(key.clone(), Value::Object(Map::new()));
        }
        here = object
            .get_mut(key)
            .expect("the key was just checked or inserted");
        walked += 1;
    }
}

/// Why an edit cannot be read or applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// An edit without `=`.
    #[error("expected PATH=VALUE, as in player.id=42")]
    BadSet(String),
    /// A path with an empty key.
    #[error("'{0}' is not a dotted path of keys, as in player.id")]
    BadPath(String),
    /// The path passes through something other than an object.
    #[error("cannot edit '{path}': {at} is {found}, not an object")]
    NotAnObject {
        /// The whole path of the edit.
        path: String,
        /// Where the walk stopped.
        at: String,
        /// What it found there.
        found: &'static str,
    },
    /// The field to remove is not there.
    #[error("cannot unset '{0}': there is no such field")]
    NoSuchField(String),
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn edited(mut payload: Value, edits: &[&str]) -> Result<Value, EditError> {
        for spec in edits {
            let edit = match spec.strip_prefix('-') {
                Some(path) => Edit::parse_unset(path)?,
                None => Edit::parse_set(spec)?,
            };
            edit.apply(&mut payload)?;
        }
        Ok(payload)
    }

    #[test]
    fn values_are_json_when_they_parse_and_strings_otherwise() {
        let payload = edited(
            json!({"player": {"id": 1, "name": "x"}}),
            &[
                "player.id=42",
                "player.name=Alex",
                "player.test=true",
                "player.tags=[1,2]",
                "player.nick=\"7\"",
            ],
        )
        .unwrap();
        assert_eq!(
            payload,
            json!({"player": {"id": 42, "name": "Alex", "test": true, "tags": [1, 2], "nick": "7"}})
        );
    }

    #[test]
    fn set_str_always_sets_a_string() {
        let mut payload = json!({});
        Edit::parse_set_str("player.id=42")
            .unwrap()
            .apply(&mut payload)
            .unwrap();
        assert_eq!(payload, json!({"player": {"id": "42"}}));
    }

    #[test]
    fn setting_keeps_key_order_and_creates_missing_objects() {
        let payload = edited(json!({"a": 1, "b": 2}), &["a=3", "c.d.e=4"]).unwrap();
        assert_eq!(
            serde_json::to_string(&payload).unwrap(),
            r#"{"a":3,"b":2,"c":{"d":{"e":4}}}"#
        );
    }

    #[test]
    fn unset_removes_without_reordering() {
        let payload = edited(json!({"a": 1, "b": 2, "c": 3}), &["-a"]).unwrap();
        assert_eq!(serde_json::to_string(&payload).unwrap(), r#"{"b":2,"c":3}"#);
        assert_eq!(
            edited(json!({"a": 1}), &["-b"]).unwrap_err().to_string(),
            "cannot unset 'b': there is no such field"
        );
    }

    #[test]
    fn refuses_to_pass_through_anything_but_objects() {
        let err = edited(json!({"event": "x"}), &["event.x=1"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot edit 'event.x': 'event' is a string, not an object"
        );
        let err = edited(json!([1]), &["a=1"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot edit 'a': the payload is an array, not an object"
        );
    }

    #[test]
    fn refuses_malformed_specs() {
        assert_eq!(
            Edit::parse_set("player.id").unwrap_err(),
            EditError::BadSet("player.id".into())
        );
        assert_eq!(
            Edit::parse_set("player..id=1").unwrap_err(),
            EditError::BadPath("player..id".into())
        );
        assert_eq!(
            Edit::parse_set("=1").unwrap_err(),
            EditError::BadPath(String::new())
        );
        assert!(Edit::parse_unset("player.").is_err());
    }

    #[test]
    fn a_value_may_contain_equals_signs() {
        let payload = edited(json!({}), &["purchase.payload=a=b"]).unwrap();
        assert_eq!(payload, json!({"purchase": {"payload": "a=b"}}));
    }
}
