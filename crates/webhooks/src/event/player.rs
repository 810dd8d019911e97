//! The player in every template: the vendor's example player, with the ten
//! fields its webhook page documents.

use serde_json::{Value, json};

/// The player id in templates: the one in the vendor's example.
pub(super) const ID: u64 = 1820283;

/// The player, with `modifiedAt` at `time`.
pub(super) fn template(time: &str) -> Value {
    json!({
        "id": ID,
        "name": "Alex",
        "avatar": format!("https://cdn.example.com/avatars/{ID}.png"),
        "projectId": 4,
        "credentials": "",
        "platformType": "NONE",
        "active": true,
        "removed": false,
        "test": false,
        "modifiedAt": time,
    })
}
