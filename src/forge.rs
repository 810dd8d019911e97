//! A signed body made from the flags of `sign` and `send`: the JSON given
//! or an event's template, with the overrides applied, signed with the
//! one secret key.

use gpwh_webhooks::SignatureEncoding;

use crate::edit::{Edit, FieldPath};
use crate::json_input::JsonInput;
use serde_json::Value;

use crate::catalog;
use crate::cli::{EncodingChoice, OverrideArgs, SignArgs};
use crate::input;
use crate::messages::warning;
use crate::purchase;
use crate::{secrets, time};

/// The signed body `BASE64.SIGNATURE` that the arguments describe.
///
/// # Errors
/// For no secret or several, input that cannot be read or is not a JSON
/// object, an unknown event, or an override that cannot apply.
pub fn forge(args: SignArgs) -> anyhow::Result<String> {
    let secret = secrets::one(&args.secrets)?;
    let edits = edits(args.overrides);
    let payload = match args.event {
        Some(name) => {
            let mut template = catalog::lookup(&name)?.template(&edits.time);
            // A new purchase each time, unless the time is fixed (the same
            // body on every run) or an override sets the id.
            if !edits.fixed {
                purchase::renew(&mut template);
            }
            edited(template, &edits.list)?
        }
        None => {
            let input = input::source(
                args.json.into_iter().collect(),
                args.file.into_iter().collect(),
                "JSON payload",
            )?
            .read()?;
            let json = JsonInput::parse(&input)?;
            if !edits.list.is_empty() {
                edited(json.into_json(), &edits.list)?
            } else if args.verbatim {
                json.verbatim().to_vec()
            } else {
                json.compact()
            }
        }
    };
    warn_without_time(&payload);
    let encoding = match args.encoding {
        EncodingChoice::Hex => SignatureEncoding::Hex,
        EncodingChoice::Base64 => SignatureEncoding::Base64,
    };
    Ok(gpwh_webhooks::sign(&payload, &secret, encoding))
}

/// Warns when the payload has no RFC 3339 `time`: GamePush's always has
/// one, and a receiver that keeps a replay window (every recipe does)
/// refuses a body without it, which looks like a bug in the receiver.
fn warn_without_time(payload: &[u8]) {
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(payload) else {
        return;
    };
    // A time is one when a receiver's window reads it: signed alone and
    // verified with a window any age fits, it is not a TimeFormat error.
    let readable = |text: &str| {
        let secret = gpwh_webhooks::Secret::from("time-check");
        let payload = serde_json::to_vec(&serde_json::json!({ "time": text }))
            .expect("a JSON value serializes");
        let body = gpwh_webhooks::sign(&payload, &secret, SignatureEncoding::Hex);
        let any_age = gpwh_webhooks::Verifier::new([secret])
            .with_max_age(std::time::Duration::MAX)
            .with_max_body(usize::MAX);
        !matches!(
            any_age.verify(body.as_bytes()),
            Err(gpwh_webhooks::Error::TimeFormat { .. })
        )
    };
    let problem = match fields.get("time") {
        None => "has no time",
        Some(Value::String(text)) if readable(text) => return,
        Some(_) => "has a time that is not an RFC 3339 time",
    };
    warning!(
        "the payload {problem}, so a receiver that keeps a replay window refuses it (the recipes \
         answer 400, time-missing or time-format): add --time now"
    );
}

/// The overrides in the order they apply, and the time for a template.
struct Edits {
    list: Vec<Edit>,
    time: String,
    /// Whether the user fixed the time, for a body the same on every run.
    fixed: bool,
}

fn edits(overrides: OverrideArgs) -> Edits {
    let set = |path: &str, value: Value| {
        Edit::Set(
            path.parse::<FieldPath>().expect("a valid literal path"),
            value,
        )
    };
    let mut list = Vec::new();
    if let Some(id) = overrides.player_id {
        list.push(set("player.id", id.into()));
    }
    if let Some(id) = overrides.project_id {
        list.push(set("player.projectId", id.into()));
    }
    if let Some(platform) = overrides.platform {
        list.push(set("player.platformType", platform.into()));
    }
    if overrides.test_player {
        list.push(set("player.test", true.into()));
    }
    if let Some(time) = &overrides.time {
        list.push(set("time", time.text.as_str().into()));
    }
    list.extend(overrides.set);
    list.extend(overrides.set_str);
    list.extend(overrides.unset);
    Edits {
        list,
        fixed: overrides.time.as_ref().is_some_and(|t| t.fixed),
        time: overrides.time.map_or_else(time::now, |given| given.text),
    }
}

/// The payload with every edit applied, compact.
fn edited(mut payload: Value, edits: &[Edit]) -> anyhow::Result<Vec<u8>> {
    for edit in edits {
        edit.apply(&mut payload)?;
    }
    Ok(serde_json::to_vec(&payload)?)
}
