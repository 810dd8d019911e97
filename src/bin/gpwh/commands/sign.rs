//! `gpwh sign`: make a body exactly as GamePush would, for tests.

use gpwh::{JsonInput, SignatureEncoding};

use crate::cli::{EncodingChoice, SignArgs};
use crate::exit::Exit;
use crate::input::Source;
use crate::output::Output;
use crate::secrets;

pub fn run(args: SignArgs, out: &Output) -> anyhow::Result<Exit> {
    let secret = secrets::one(&args.secrets)?;
    let input = Source::choose(args.json, args.file, "JSON payload")?.read()?;
    let json = JsonInput::parse(&input)?;
    let payload = if args.verbatim {
        json.verbatim().to_vec()
    } else {
        json.compact()
    };
    let encoding = match args.encoding {
        EncodingChoice::Hex => SignatureEncoding::Hex,
        EncodingChoice::Base64 => SignatureEncoding::Base64,
    };
    out.exact(gpwh::sign(&payload, &secret, encoding).as_bytes())?;
    Ok(Exit::Success)
}
