//! One module per subcommand, each a short recipe: read, call the core,
//! write. They return the exit they want; errors go up to `main`.

pub mod completions;
pub mod decode;
pub mod events;
pub mod facts;
pub mod listen;
pub mod man;
pub mod probe;
pub mod replay;
pub mod send;
pub mod sign;
pub mod verify;
