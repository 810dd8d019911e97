//! The battery in sequence, as `gpwh probe` runs it: one case after the
//! other, each skipped or delivered and graded, a case under another
//! Content-Type read beside the valid body's answer, the run stopped when
//! nothing answers its first delivery, and the advice once every case is
//! graded. Delivering a case and telling an outcome are the caller's,
//! passed in: nothing here sends or prints.

use std::collections::HashSet;

use super::advice::advise;
use super::case::{Case, ContentType};
use super::grade::{Outcome, Reply, as_the_valid_body, grade};
use super::run::Run;

/// The reason of a case `--skip` named.
pub const SKIPPED: &str = "skipped with --skip";

/// The reason of the cases after an unreachable first one.
pub const NOT_SENT: &str = "not sent: the handler could not be reached";

/// Every case of `cases`, not sent: the handler could not be reached.
pub fn not_sent(cases: &[Case]) -> Vec<Outcome> {
    cases
        .iter()
        .map(|case| Outcome::skipped(case, NOT_SENT))
        .collect()
}

/// Plays `cases` in order into `run`, whose outcomes it adds to: a case
/// `skip` names is skipped, any other is given to `deliver`, which posts
/// its body as often as the case says and returns what came back, and is
/// graded. `graded` is told each outcome once it is known. When nothing
/// answers the first delivery, the run stops: `run.unreachable` says why,
/// that case is graded without telling `graded`, and the rest are not
/// sent. Otherwise `run.advice` is what the whole battery says.
///
/// # Errors
/// What `graded` returns, which ends the run there.
pub fn play<E>(
    run: &mut Run,
    cases: &[Case],
    skip: &HashSet<&str>,
    mut deliver: impl FnMut(&Case) -> Vec<Reply>,
    mut graded: impl FnMut(&Outcome) -> Result<(), E>,
) -> Result<(), E> {
    let mut sent = false;
    for (at, case) in cases.iter().enumerate() {
        let outcome = if skip.contains(case.name.as_str()) {
            Outcome::skipped(case, SKIPPED)
        } else {
            let answers = deliver(case);
            if !sent && let Some(Reply::Nothing(why)) = answers.first() {
                // Nothing answers the very first request: no point in the
                // rest.
                run.unreachable = Some(why.clone());
                run.outcomes.push(grade(case, &answers));
                run.outcomes.extend(not_sent(&cases[at + 1..]));
                return Ok(());
            }
            sent = true;
            let mut outcome = grade(case, &answers);
            if case.content_type != ContentType::Run
                && let Some(valid) = run.outcomes.first()
            {
                as_the_valid_body(&mut outcome, valid);
            }
            outcome
        };
        graded(&outcome)?;
        run.outcomes.push(outcome);
    }
    run.advice = advise(cases, &run.outcomes);
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use jiff::Timestamp;

    use super::*;
    use crate::probe::{Expect, Grade};

    fn case(name: &str, content_type: ContentType, deliveries: usize) -> Case {
        Case {
            name: name.into(),
            sends: format!("the body of {name}"),
            body: name.as_bytes().to_vec(),
            content_type,
            deliveries,
            expect: Expect::Accept("accept it"),
            otherwise: Grade::Fail,
        }
    }

    fn battery() -> Vec<Case> {
        vec![
            case("valid-body", ContentType::Run, 1),
            case("content-type-json", ContentType::Set("application/json"), 1),
            case("replayed-body", ContentType::Run, 2),
        ]
    }

    fn run() -> Run {
        Run::new("http://h/", false, false, Timestamp::UNIX_EPOCH)
    }

    fn status(status: u16, said: &str) -> Reply {
        Reply::Status {
            status,
            location: None,
            elapsed: Duration::from_millis(3),
            body_error: None,
            said: Some(said.into()),
        }
    }

    fn names(outcomes: &[Outcome]) -> Vec<(&str, Grade)> {
        outcomes
            .iter()
            .map(|o| (o.name.as_str(), o.grade))
            .collect()
    }

    #[test]
    fn every_case_is_delivered_graded_and_told_in_order() {
        let (mut delivered, mut told) = (Vec::new(), Vec::new());
        let mut run = run();
        play(
            &mut run,
            &battery(),
            &HashSet::new(),
            |case| {
                delivered.push(case.name.clone());
                vec![status(200, "ok"); case.deliveries]
            },
            |outcome| {
                told.push(outcome.name.clone());
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        let all = ["valid-body", "content-type-json", "replayed-body"];
        assert_eq!(delivered, all);
        assert_eq!(told, all);
        assert_eq!(names(&run.outcomes), all.map(|name| (name, Grade::Pass)));
        assert_eq!(run.unreachable, None);
    }

    #[test]
    fn a_skipped_case_is_not_delivered_and_the_first_delivered_one_decides_reachability() {
        let skip = HashSet::from(["valid-body"]);
        let mut delivered = Vec::new();
        let mut run = run();
        play(
            &mut run,
            &battery(),
            &skip,
            |case| {
                delivered.push(case.name.clone());
                vec![Reply::Nothing("connection refused".into())]
            },
            |_| Ok::<(), ()>(()),
        )
        .unwrap();
        assert_eq!(delivered, ["content-type-json"]);
        assert_eq!(run.unreachable.as_deref(), Some("connection refused"));
        assert_eq!(
            names(&run.outcomes),
            [
                ("valid-body", Grade::Skip),
                ("content-type-json", Grade::Fail),
                ("replayed-body", Grade::Skip)
            ]
        );
        assert_eq!(run.outcomes[0].reason.as_deref(), Some(SKIPPED));
        assert_eq!(run.outcomes[2].reason.as_deref(), Some(NOT_SENT));
        assert!(run.advice.is_empty());
    }

    #[test]
    fn nothing_answering_a_later_case_does_not_stop_the_run() {
        let mut told = 0;
        let mut run = run();
        play(
            &mut run,
            &battery(),
            &HashSet::new(),
            |case| match case.name.as_str() {
                "valid-body" => vec![status(200, "ok")],
                _ => vec![Reply::Nothing("timed out".into())],
            },
            |_| {
                told += 1;
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!(told, 3);
        assert_eq!(run.unreachable, None);
        assert_eq!(
            names(&run.outcomes),
            [
                ("valid-body", Grade::Pass),
                ("content-type-json", Grade::Fail),
                ("replayed-body", Grade::Fail)
            ]
        );
    }

    #[test]
    fn a_content_type_refused_as_the_valid_body_was_is_not_blamed() {
        let mut run = run();
        play(
            &mut run,
            &battery(),
            &HashSet::new(),
            |case| vec![status(401, "bad signature"); case.deliveries],
            |_| Ok::<(), ()>(()),
        )
        .unwrap();
        assert_eq!(
            run.outcomes[1].reason.as_deref(),
            Some("refused with 401, as the valid body was: the Content-Type is not why")
        );
        assert_ne!(run.outcomes[2].reason, run.outcomes[1].reason);
        assert!(!run.advice.is_empty(), "every valid body refused alike");
    }

    #[test]
    fn an_outcome_that_cannot_be_told_ends_the_run() {
        let mut delivered = 0;
        let mut run = run();
        let told = play(
            &mut run,
            &battery(),
            &HashSet::new(),
            |case| {
                delivered += 1;
                vec![status(200, "ok"); case.deliveries]
            },
            |_| Err("stdout is closed"),
        );
        assert_eq!(told, Err("stdout is closed"));
        assert_eq!(delivered, 1);
        assert!(run.outcomes.is_empty());
    }
}
