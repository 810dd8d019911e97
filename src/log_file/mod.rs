//! listen's `--log` file, both ends of it: one JSON line per request, the
//! `Delivery` listen made of it (docs/schemas/listen-log.json). `write`
//! appends the lines as listen answers; `read` gives them back to facts
//! and replay, each body byte for byte. The two sit together because the
//! reader's limits follow from what the writer can write.

pub mod read;
pub mod write;
