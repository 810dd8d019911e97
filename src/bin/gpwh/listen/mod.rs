//! Everything `gpwh listen` runs: the HTTP server ([`server`]), what it does
//! with each request ([`receiver`]), the deliveries it keeps
//! ([`deliveries`]) and the inspector page that shows them ([`inspector`]).

pub mod deliveries;
pub mod inspector;
pub mod receiver;
pub mod server;
