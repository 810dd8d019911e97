//! A run told to GitHub Actions, when probe runs there (`GITHUB_ACTIONS` is
//! `true`): each fail and warn as a workflow command (`::error` and
//! `::warning`), which Actions shows as an annotation on the run, and a
//! Markdown table for the job's summary page (`GITHUB_STEP_SUMMARY`).
//! Outside Actions none of this is printed.
//!
//! The runner reads workflow commands from stderr as well as stdout; probe
//! writes them to stderr, so that stdout keeps only the report.

use std::fmt::Write as _;

use super::case::Grade;
use super::run::Run;
use crate::inert::{code_span, is_active, markdown_cell};

/// Whether the environment says this is a GitHub Actions job.
pub fn detected(github_actions: Option<&str>) -> bool {
    github_actions == Some("true")
}

/// The workflow commands for a run: one line per fail and warn, and one for
/// an unreachable handler.
pub fn annotations(run: &Run) -> String {
    let mut lines = String::new();
    if let Some(why) = &run.unreachable {
        let _ = writeln!(
            lines,
            "::error title={}::{}",
            property("gpwh probe: handler not reached"),
            data(&format!("could not reach {}: {why}", run.url))
        );
        return lines;
    }
    for outcome in &run.outcomes {
        let command = match outcome.grade {
            Grade::Fail => "error",
            Grade::Warn => "warning",
            _ => continue,
        };
        let _ = writeln!(
            lines,
            "::{command} title={}::{}",
            property(&format!("gpwh probe: {}", outcome.name)),
            data(&format!(
                "{} (sent: {})",
                outcome.reason.as_deref().unwrap_or("no reason"),
                outcome.sends
            ))
        );
    }
    lines
}

/// The job summary: a heading with the URL, the counts, and a table of
/// every case.
pub fn summary(run: &Run) -> String {
    let counts = run.counts();
    let mut markdown = format!("### gpwh probe: `{}`\n\n", code_span(&run.url));
    if let Some(why) = &run.unreachable {
        let _ = writeln!(
            markdown,
            ":x: **The handler could not be reached:** {}\n",
            markdown_cell(why)
        );
    }
    let verdict = if run.failed() {
        ":x: failed"
    } else {
        ":white_check_mark: passed"
    };
    let _ = write!(markdown, "{verdict}: {} checks, {counts}", counts.checks());
    if run.strict {
        markdown.push_str(" (--strict: warnings fail)");
    }
    if run.insecure {
        markdown.push_str("; **the certificate was not checked (--insecure)**");
    }
    markdown.push_str("\n\n");
    for advice in &run.advice {
        let _ = writeln!(markdown, "**Advice:** {}\n", markdown_cell(advice));
    }
    markdown.push_str("| Grade | Case | Status | Time | Reason |\n|---|---|---|---|---|\n");
    for outcome in &run.outcomes {
        let grade = match outcome.grade {
            Grade::Pass => ":white_check_mark: pass",
            Grade::Warn => ":warning: warn",
            Grade::Fail => ":x: fail",
            Grade::Skip => ":fast_forward: skip",
        };
        let status = outcome
            .status
            .map_or_else(|| "–".to_owned(), |s| s.to_string());
        let time = outcome.elapsed.map_or_else(
            || "–".to_owned(),
            |e| format!("{:.1} ms", e.as_secs_f64() * 1000.0),
        );
        let _ = writeln!(
            markdown,
            "| {grade} | `{}` | {status} | {time} | {} |",
            outcome.name,
            markdown_cell(outcome.reason.as_deref().unwrap_or(""))
        );
    }
    markdown.push('\n');
    markdown
}

/// A workflow command's message: `%`, CR and LF encoded, as the runner
/// decodes them, and the rest inert (the runner echoes the line to the
/// log, where a terminal may show it).
fn data(text: &str) -> String {
    let mut data = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => data.push_str("%25"),
            '\r' => data.push_str("%0D"),
            '\n' => data.push_str("%0A"),
            c if is_active(c) => data.extend(c.escape_unicode()),
            c => data.push(c),
        }
    }
    data
}

/// A workflow command's property value: as [`data`], and `:` and `,` too.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::Outcome;

    #[test]
    fn a_cell_holds_no_link_image_or_markup_from_the_server() {
        let reason = "answered 302, a redirect to https://evil.example/x.png ![x](https://evil.example/i.png) [click](https://e.example) <img> | *b* \u{1b}[2J";
        let cell = markdown_cell(reason);
        for made in ["![", "](", "[click]", "<img>", " | ", "*b*", "\u{1b}"] {
            assert!(!cell.contains(made), "{made} in {cell}");
        }
        assert!(
            cell.contains("\\!\\[x\\]\\(https:&#8203;//evil.example/i.png\\)"),
            "{cell}"
        );
    }
    use jiff::Timestamp;
    use std::time::Duration;

    fn run(strict: bool) -> Run {
        let outcome = |name: &str, grade, reason: Option<&str>| Outcome {
            name: name.into(),
            sends: "a body, signed".into(),
            grade,
            status: Some(200),
            elapsed: Some(Duration::from_micros(1240)),
            reason: reason.map(str::to_owned),
            said: None,
        };
        Run {
            url: "http://127.0.0.1:8080/hook".into(),
            outcomes: vec![
                outcome("valid-body", Grade::Pass, None),
                outcome(
                    "no-signature",
                    Grade::Fail,
                    Some("accepted with 200: 100% wrong, fix: it"),
                ),
                outcome(
                    "replayed-body",
                    Grade::Warn,
                    Some("accepted | twice\nagain"),
                ),
                outcome("uppercase-hex", Grade::Pass, None),
            ],
            strict,
            insecure: false,
            started: Timestamp::UNIX_EPOCH,
            elapsed: Duration::from_millis(12),
            unreachable: None,
            advice: vec!["every case was answered 404: check the [path](x)".into()],
        }
    }

    #[test]
    fn an_annotation_holds_nothing_a_terminal_acts_on() {
        let mut run = run(false);
        run.outcomes[1].reason = Some("redirect to /x\u{9b}31m\u{202e}\u{1b}[2J".into());
        let commands = annotations(&run);
        assert!(
            commands.contains("redirect to /x\\u{9b}31m\\u{202e}\\u{1b}[2J (sent"),
            "{commands}"
        );
        run.unreachable = Some("no \u{9b}answer".into());
        assert_eq!(
            annotations(&run),
            "::error title=gpwh probe%3A handler not reached::could not reach \
             http://127.0.0.1:8080/hook: no \\u{9b}answer\n"
        );
    }

    #[test]
    fn only_github_actions_itself_turns_it_on() {
        assert!(detected(Some("true")));
        assert!(!detected(Some("false")));
        assert!(!detected(Some("1")));
        assert!(!detected(None));
    }

    #[test]
    fn fails_are_errors_and_warns_are_warnings_encoded_for_the_runner() {
        assert_eq!(
            annotations(&run(false)),
            "::error title=gpwh probe%3A no-signature::accepted with 200: 100%25 wrong, fix: it (sent: a body, signed)\n\
             ::warning title=gpwh probe%3A replayed-body::accepted | twice%0Aagain (sent: a body, signed)\n"
        );
    }

    #[test]
    fn the_summary_is_a_table_of_every_case() {
        let summary = summary(&run(true));
        assert!(summary.starts_with("### gpwh probe: `http://127.0.0.1:8080/hook`\n\n:x: failed: 4 checks, 2 pass, 1 fail, 1 warn (--strict: warnings fail)\n"));
        assert!(summary.contains("| :white_check_mark: pass | `valid-body` | 200 | 1.2 ms |  |\n"));
        assert!(summary.contains(
            "\n\n**Advice:** every case was answered 404: check the \\[path\\]\\(x\\)\n\n| Grade"
        ));
        assert!(summary.contains(
            "| :warning: warn | `replayed-body` | 200 | 1.2 ms | accepted \\| twice again |\n"
        ));
    }
}
