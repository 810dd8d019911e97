//! `probe --junit PATH`: a run as a JUnit XML report, the format that the
//! test reports of Jenkins, GitLab and GitHub read. One testsuite named
//! after the URL, one testcase per case (classname `gpwh.probe`): a fail is
//! a `<failure>`, and so is a warn under `--strict`; the reason of any other
//! warn or note is in `<system-out>`; a skipped case is `<skipped>`;
//! an unreachable handler is an `<error>`. It follows the schema Jenkins'
//! xUnit plugin publishes (`junit-10.xsd`), which `tests/cli` validates it
//! against.

use std::fmt::Write as _;
use std::time::Duration;

use super::case::Grade;
use super::grade::Outcome;
use super::run::Run;

/// The class every testcase belongs to, for reports that group by class.
const CLASSNAME: &str = "gpwh.probe";

/// The report, as a whole XML document.
pub fn report(run: &Run) -> String {
    let counts = run.counts();
    let count = |element| {
        run.outcomes
            .iter()
            .filter(|outcome| failure(run, outcome) == Some(element))
            .count()
    };
    let (failures, errors) = (count("failure"), count("error"));
    let tests = run.outcomes.len();
    let time = seconds(run.elapsed);
    let name = attribute(&run.url);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"gpwh probe\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{time}\">"
    );
    let _ = writeln!(
        xml,
        "  <testsuite name=\"{name}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{}\" time=\"{time}\" timestamp=\"{}\">",
        counts.skip,
        run.started.strftime("%Y-%m-%dT%H:%M:%S"),
    );
    xml.push_str("    <properties>\n");
    for (property, value) in [
        ("url", run.url.as_str()),
        ("gpwh.version", env!("CARGO_PKG_VERSION")),
        ("strict", if run.strict { "true" } else { "false" }),
        (
            "certificate",
            if run.insecure {
                "not checked (--insecure)"
            } else {
                "checked"
            },
        ),
    ] {
        let _ = writeln!(
            xml,
            "      <property name=\"{property}\" value=\"{}\"/>",
            attribute(value)
        );
    }
    xml.push_str("    </properties>\n");
    for outcome in &run.outcomes {
        testcase(&mut xml, run, outcome);
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    xml
}

/// One `<testcase>`.
fn testcase(xml: &mut String, run: &Run, outcome: &Outcome) {
    let _ = write!(
        xml,
        "    <testcase name=\"{}\" classname=\"{CLASSNAME}\" time=\"{}\"",
        attribute(&outcome.name),
        seconds(outcome.elapsed.unwrap_or_default())
    );
    let reason = outcome.reason.as_deref().unwrap_or_default();
    let detail = format!("sent: {}\n{reason}", outcome.sends);
    let body = if let Some(element) = failure(run, outcome) {
        format!(
            "      <{element} type=\"{}\" message=\"{}\">{}</{element}>\n",
            outcome.grade.name(),
            attribute(reason),
            text(&detail)
        )
    } else if outcome.grade == Grade::Skip {
        format!("      <skipped message=\"{}\"/>\n", attribute(reason))
    } else if outcome.reason.is_some() {
        format!(
            "      <system-out>{}: {}</system-out>\n",
            outcome.grade.name().to_ascii_uppercase(),
            text(&detail)
        )
    } else {
        String::new()
    };
    if body.is_empty() {
        xml.push_str("/>\n");
    } else {
        let _ = write!(xml, ">\n{body}    </testcase>\n");
    }
}

/// `failure` or `error` when the case fails the run, else None.
fn failure(run: &Run, outcome: &Outcome) -> Option<&'static str> {
    match outcome.grade {
        Grade::Fail if run.unreachable.is_some() => Some("error"),
        Grade::Fail => Some("failure"),
        Grade::Warn if run.strict => Some("failure"),
        _ => None,
    }
}

/// Seconds with three decimals, as the schema's time pattern allows.
fn seconds(duration: Duration) -> String {
    format!("{:.3}", duration.as_secs_f64())
}

/// `text` escaped for an attribute value, line breaks kept.
fn attribute(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => escaped.push_str("&quot;"),
            '\n' => escaped.push_str("&#10;"),
            '\r' => escaped.push_str("&#13;"),
            '\t' => escaped.push_str("&#9;"),
            c => push_char(&mut escaped, c),
        }
    }
    escaped
}

/// `text` escaped for element content.
fn text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        push_char(&mut escaped, c);
    }
    escaped
}

/// One character of XML 1.0 text: markup escaped, and what XML cannot hold
/// at all (most control characters: a server's Location header may carry
/// them) as U+FFFD.
fn push_char(escaped: &mut String, c: char) {
    match c {
        '&' => escaped.push_str("&amp;"),
        '<' => escaped.push_str("&lt;"),
        '>' => escaped.push_str("&gt;"),
        '\t' | '\n' | '\r' => escaped.push(c),
        '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => escaped.push('\u{fffd}'),
        c => escaped.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn outcome(name: &str, grade: Grade, reason: Option<&str>) -> Outcome {
        Outcome {
            name: name.into(),
            sends: "a body".into(),
            grade,
            status: (grade != Grade::Skip).then_some(200),
            elapsed: Some(Duration::from_micros(1600)),
            reason: reason.map(str::to_owned),
            said: None,
        }
    }

    fn run(outcomes: Vec<Outcome>, strict: bool) -> Run {
        Run {
            url: "https://h.example/hook?a=1&b=\"2\"".into(),
            outcomes,
            strict,
            insecure: false,
            started: Timestamp::from_second(1_790_000_000).unwrap(),
            elapsed: Duration::from_millis(1234),
            unreachable: None,
            advice: Vec::new(),
        }
    }

    #[test]
    fn each_grade_has_its_element() {
        let outcomes = vec![
            outcome("valid-body", Grade::Pass, None),
            outcome(
                "no-signature",
                Grade::Fail,
                Some("accepted with 200: refuse it"),
            ),
            outcome("replayed-body", Grade::Warn, Some("accepted <twice>")),
            outcome(
                "uppercase-hex",
                Grade::Pass,
                Some("the status arrived but the body could not be read"),
            ),
            outcome("redelivery", Grade::Skip, Some("skipped with --skip")),
        ];
        let xml = report(&run(outcomes.clone(), false));
        assert!(xml.contains(
            "<testsuite name=\"https://h.example/hook?a=1&amp;b=&quot;2&quot;\" tests=\"5\" failures=\"1\" errors=\"0\" skipped=\"1\" time=\"1.234\""
        ));
        assert!(
            xml.contains("<testcase name=\"valid-body\" classname=\"gpwh.probe\" time=\"0.002\"/>")
        );
        assert!(xml.contains(
            "<failure type=\"fail\" message=\"accepted with 200: refuse it\">sent: a body\naccepted with 200: refuse it</failure>"
        ));
        assert!(
            xml.contains("<system-out>WARN: sent: a body\naccepted &lt;twice&gt;</system-out>")
        );
        assert!(xml.contains(
            "<system-out>PASS: sent: a body\nthe status arrived but the body could not be read</system-out>"
        ));
        assert!(xml.contains("<skipped message=\"skipped with --skip\"/>"));

        let strict = report(&run(outcomes, true));
        assert!(strict.contains("failures=\"2\""));
        assert!(strict.contains("<failure type=\"warn\" message=\"accepted &lt;twice&gt;\">"));
    }

    #[test]
    fn an_unreachable_handler_is_an_error() {
        let mut unreachable = run(
            vec![
                outcome(
                    "valid-body",
                    Grade::Fail,
                    Some("no answer: connection refused"),
                ),
                outcome("no-signature", Grade::Skip, Some("not sent")),
            ],
            false,
        );
        unreachable.unreachable = Some("connection refused".into());
        let xml = report(&unreachable);
        assert!(xml.contains("failures=\"0\" errors=\"1\" skipped=\"1\""));
        assert!(xml.contains("<error type=\"fail\" message=\"no answer: connection refused\">"));
    }

    #[test]
    fn what_xml_cannot_hold_is_replaced() {
        assert_eq!(text("a\u{1}b<&>"), "a\u{fffd}b&lt;&amp;&gt;");
        assert_eq!(attribute("x\n\"y\""), "x&#10;&quot;y&quot;");
    }
}
