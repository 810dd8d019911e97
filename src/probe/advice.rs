//! What the whole battery says about a handler, when one cause explains
//! many answers.
//!
//! A case's own reason reads one answer; the same 404 on every case, or
//! valid bodies refused under one Content-Type and taken under another,
//! say more than any single answer. The advice is read from every graded
//! case, once the run is over, so that a wrong path is not explained as
//! wrong hashing.

use super::case::{Case, ContentType, Expect, Grade};
use super::grade::{Outcome, Words};

/// The advice for a run: the causes the answers point to, most likely
/// first; empty when the cases' own reasons say all there is.
///
/// `cases` and `outcomes` are in the same order, as a run keeps them.
pub fn advise(cases: &[Case], outcomes: &[Outcome]) -> Vec<String> {
    let graded: Vec<(&Case, &Outcome)> = cases
        .iter()
        .zip(outcomes)
        .filter(|(_, outcome)| outcome.status.is_some())
        .collect();
    let Some((_, first)) = graded.first() else {
        return Vec::new();
    };
    let statuses = || graded.iter().filter_map(|(_, outcome)| outcome.status);
    if graded.len() > 1 {
        let status = first.status.unwrap_or_default();
        if matches!(status, 404 | 405 | 410) && statuses().all(|s| s == status) {
            let what = if status == 405 {
                "the URL does not take a POST, and GamePush posts its webhooks"
            } else {
                "nothing at this URL takes the webhook: check its path against the route your \
                 server declares (a missing or extra '/webhook', a trailing '/')"
            };
            return vec![format!(
                "every case was answered {status}, so its passes prove nothing: {what}"
            )];
        }
        if statuses().all(|s| s >= 500) {
            return vec![
                "every case was answered 5xx, so its passes prove nothing: the handler \
                 fails before it judges a body, and its log says why (a secret key missing from \
                 its environment, a body parser that made the body an object, a database that \
                 is down)"
                    .to_owned(),
            ];
        }
    }

    let valid: Vec<&(&Case, &Outcome)> = graded
        .iter()
        .filter(|(case, _)| matches!(case.expect, Expect::Accept(_)))
        .collect();
    let refused = |outcome: &Outcome| !(200..300).contains(&outcome.status.unwrap_or_default());
    if !valid.is_empty() && valid.iter().all(|(_, outcome)| refused(outcome)) {
        let saying = |words: Words| {
            valid
                .iter()
                .any(|(_, o)| Words::of(o.said.as_deref()) == words)
        };
        let advice = if saying(Words::Mismatch) {
            "the handler refuses every valid body for its signature: its secret key is not the \
             one probe was given. Compare the two (GPWH_SECRET or --secret here, the server's \
             environment there), and look for a newline or spaces at either end of either \
             copy, as a key read from a file often ends with one"
        } else if saying(Words::BodyLost) {
            "the handler refuses every valid body as if it never got it: something reads or \
             parses the body before the handler does (app.use(express.json()) or a form parser \
             in front of every route, request.get_json(), $_POST), or the handler reads another \
             field. Read the raw bytes on the webhook's route"
        } else if saying(Words::Time) {
            "the handler refuses every valid body for its time: check the server's clock, and \
             that it reads RFC 3339 times with fractions of a second (probe's have nine digits)"
        } else {
            "the handler refuses every valid body: if its secret key is the one probe was \
             given, hash the payload part exactly as received, then '_' and the key, with \
             SHA-256, and compare that digest with the signature (hex, or base64)"
        };
        return vec![advice.to_owned()];
    }

    let mut advice = Vec::new();
    let types: Vec<&str> = graded
        .iter()
        .filter(|(case, outcome)| {
            case.content_type != ContentType::Run && outcome.grade != Grade::Pass
        })
        .map(|(case, _)| match case.content_type {
            ContentType::Set(value) => value,
            _ => "no Content-Type",
        })
        .collect();
    if !types.is_empty() {
        advice.push(format!(
            "the handler takes a valid body as the run's Content-Type but not as {}: something \
             parses the body before the handler does. GamePush does not document its \
             Content-Type, so read the raw body whatever the header says (express.raw({{ type: \
             '*/*' }}), request.get_data(), await request.body(), php://input)",
            types.join(", ")
        ));
    }
    advice
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn case(name: &str, expect: Expect, content_type: ContentType) -> Case {
        Case {
            name: name.into(),
            sends: "a body".into(),
            body: Vec::new(),
            content_type,
            deliveries: 1,
            expect,
            otherwise: Grade::Fail,
        }
    }

    fn battery() -> Vec<Case> {
        vec![
            case("valid-body", Expect::Accept("hash"), ContentType::Run),
            case(
                "content-type-json",
                Expect::Accept("parser"),
                ContentType::Set("application/json"),
            ),
            case(
                "no-content-type",
                Expect::Accept("parser"),
                ContentType::Absent,
            ),
            case("empty-body", Expect::Refuse("refuse it"), ContentType::Run),
        ]
    }

    fn answered(statuses: &[(u16, &str)]) -> Vec<Outcome> {
        let cases = battery();
        cases
            .iter()
            .zip(statuses)
            .map(|(case, &(status, said))| {
                let accepted = (200..300).contains(&status);
                let pass = match case.expect {
                    Expect::Accept(_) => accepted,
                    Expect::Refuse(_) => !accepted,
                };
                Outcome {
                    name: case.name.clone(),
                    sends: case.sends.clone(),
                    grade: if pass { Grade::Pass } else { Grade::Fail },
                    status: Some(status),
                    elapsed: Some(Duration::from_millis(1)),
                    reason: None,
                    said: (!said.is_empty()).then(|| said.to_owned()),
                }
            })
            .collect()
    }

    fn advice(statuses: &[(u16, &str)]) -> Vec<String> {
        advise(&battery(), &answered(statuses))
    }

    #[test]
    fn the_same_404_everywhere_is_the_url() {
        let advice = advice(&[(404, "Cannot POST /hook"); 4]);
        assert_eq!(advice.len(), 1);
        assert!(
            advice[0].starts_with("every case was answered 404"),
            "{advice:?}"
        );
        assert!(advice[0].contains("path"));
        assert!(!advice[0].contains("hash"));
    }

    #[test]
    fn a_5xx_everywhere_is_a_crashing_handler() {
        let advice = advice(&[(500, "TypeError"), (502, ""), (500, ""), (503, "")]);
        assert!(
            advice[0].starts_with("every case was answered 5xx"),
            "{advice:?}"
        );
        assert!(advice[0].contains("log"));
    }

    #[test]
    fn a_refusal_naming_the_signature_is_the_secret() {
        let advice = advice(&[
            (401, "bad signature"),
            (401, "bad signature"),
            (401, "bad signature"),
            (401, "bad signature"),
        ]);
        assert!(
            advice[0].contains("its secret key is not the one"),
            "{advice:?}"
        );
        assert!(advice[0].contains("newline"));
    }

    #[test]
    fn a_refusal_saying_there_is_no_signature_is_a_lost_body() {
        let advice = advice(&[
            (400, "no signature"),
            (400, "SyntaxError: Unexpected token"),
            (400, ""),
            (400, ""),
        ]);
        assert!(advice[0].contains("as if it never got it"), "{advice:?}");
        assert!(!advice[0].contains("secret key"), "{advice:?}");
    }

    #[test]
    fn a_refusal_naming_the_time_is_the_clock() {
        let advice = advice(&[
            (400, "body is too old"),
            (400, "too old"),
            (400, ""),
            (400, ""),
        ]);
        assert!(advice[0].contains("for its time"), "{advice:?}");
    }

    #[test]
    fn a_silent_refusal_of_every_valid_body_is_the_hashing() {
        let advice = advice(&[(400, ""), (400, "no"), (400, ""), (400, "")]);
        assert!(advice[0].contains("hash the payload part"), "{advice:?}");
    }

    #[test]
    fn a_body_parser_is_named_by_the_types_it_refuses() {
        let advice = advice(&[
            (200, "ok"),
            (400, "Unexpected token e in JSON"),
            (200, "ok"),
            (400, "no"),
        ]);
        assert_eq!(advice.len(), 1);
        assert!(advice[0].contains("not as application/json:"), "{advice:?}");
        let both = self::advice(&[(200, "ok"), (400, ""), (415, ""), (400, "")]);
        assert!(
            both[0].contains("application/json, no Content-Type"),
            "{both:?}"
        );
    }

    #[test]
    fn a_correct_handler_gets_no_advice() {
        assert!(advice(&[(200, "ok"), (200, "ok"), (204, ""), (400, "no")]).is_empty());
        assert!(advise(&battery(), &[]).is_empty());
    }
}
