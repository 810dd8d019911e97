//! A signed body made from the flags of `sign` and `send`: the JSON given
//! or an event's template, with the overrides applied, signed with the
//! one secret key.

use gpwh::{Edit, FieldPath, JsonInput, SignatureEncoding};
use serde_json::Value;

use crate::catalog;
use crate::cli::{EncodingChoice, OverrideArgs, SignArgs};
use crate::input;
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
            // A new purchase each time, unless an override sets its id.
            purchase::renew(&mut template);
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
    let encoding = match args.encoding {
        EncodingChoice::Hex => SignatureEncoding::Hex,
        EncodingChoice::Base64 => SignatureEncoding::Base64,
    };
    Ok(gpwh::sign(&payload, &secret, encoding))
}

/// The overrides in the order they apply, and the time for a template.
struct Edits {
    list: Vec<Edit>,
    time: String,
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
        list.push(set("time", time.as_str().into()));
    }
    list.extend(overrides.set);
    list.extend(overrides.set_str);
    list.extend(overrides.unset);
    Edits {
        list,
        time: overrides.time.unwrap_or_else(time::now),
    }
}

/// The payload with every edit applied, compact.
fn edited(mut payload: Value, edits: &[Edit]) -> anyhow::Result<Vec<u8>> {
    for edit in edits {
        edit.apply(&mut payload)?;
    }
    Ok(serde_json::to_vec(&payload)?)
}
