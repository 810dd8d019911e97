//! Integration tests: every one runs the built `gpwh` binary, as a user or
//! a script would. One test binary with modules, so the crate links once.

mod colour;
mod completions;
// PostgreSQL and SQLite, started and read as the recipes' tests need.
#[cfg(unix)]
mod databases;
mod decode;
mod events;
#[cfg(unix)]
mod exactly_once;
mod facts;
mod forge;
mod freshness;
mod handlers;
mod hints;
mod hostile;
mod https;
mod input;
mod inspector;
mod lines;
mod listen;
mod pipeline;
mod probe;
mod readme;
// The recipes start with `sh -c`, as receivers.toml says.
#[cfg(unix)]
mod receivers;
mod replay;
mod rust_server;
mod schemas;
mod secrets;
mod send;
mod sign;
mod support;
mod tls;
mod tunnel;
mod verify;
