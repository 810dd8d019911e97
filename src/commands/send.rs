//! `gpwh send URL`: deliver a body as GamePush would, a forged one or a
//! captured one, and show what the server answered (inert on a terminal).

use crate::cli::SendArgs;
use crate::client::{self, Client, Proxies};
use crate::curl;
use crate::exit::Exit;
use crate::forge;
use crate::input;
use crate::messages::{self, say};
use crate::output::Output;

pub fn run(args: SendArgs, out: &Output) -> anyhow::Result<Exit> {
    client::check_url(&args.url)?;
    let body = match args.body {
        Some(body) => input::source(vec![body], Vec::new(), "body")?.read()?,
        None => forge::forge(args.sign)?.into_bytes(),
    };
    let headers = client::headers(args.headers);
    let trust = args.tls.trust();
    if args.dry_run {
        out.text(&curl::command(
            &args.url,
            &headers,
            &body,
            args.exchange.timeout,
            &trust,
        )?)?;
        return Ok(Exit::Success);
    }
    let headers: Vec<(String, Vec<u8>)> = headers
        .into_iter()
        .map(|(n, v)| (n, v.into_bytes()))
        .collect();
    let client = Client::new(args.exchange.timeout, Proxies::FromEnvironment, &trust)?;
    trust.announce();
    match client::runtime()?.block_on(client.post(&args.url, &headers, body)) {
        Ok(answer) => {
            // The server's own words: not a message of gpwh's, so no prefix.
            messages::verbatim(format_args!("{}", answer.status_line));
            // Exact in a pipe; inert on a terminal.
            out.exact(&answer.body)?;
            if let Some(why) = &answer.body_error {
                say!("the answer's body was cut short: {why}");
            }
            if answer.is_success() {
                Ok(Exit::Success)
            } else {
                say!("not delivered: the server answered {}", answer.status_text);
                Ok(Exit::Undelivered)
            }
        }
        Err(undelivered) => {
            say!("{undelivered}");
            Ok(Exit::Undelivered)
        }
    }
}
