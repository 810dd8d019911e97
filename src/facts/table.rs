//! The facts as tables, for a person: a title, a header row and rows of
//! text each, then drawn as aligned text for a terminal (`gpwh facts`,
//! listen's stop) or as Markdown to paste into an issue. A table holds
//! text from the wire as it came; each drawing makes it inert for where it
//! goes, so nothing a sender wrote can move a cursor or add a link.

use std::collections::BTreeMap;
use std::time::Duration;

use super::Facts;
use crate::inert::{inert, markdown_cell};

/// How many distinct values of one header are listed; the rest are counted.
const VALUES_LISTED: usize = 5;

/// One table of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// What it shows.
    pub title: &'static str,
    /// The column names.
    pub header: Vec<&'static str>,
    /// Its rows, as text from the wire (not yet made inert).
    pub rows: Vec<Vec<String>>,
}

impl Table {
    fn new(title: &'static str, header: &[&'static str], rows: Vec<Vec<String>>) -> Table {
        Table {
            title,
            header: header.to_vec(),
            rows,
        }
    }
}

impl Facts {
    /// The report as tables: a title, a header row, and rows.
    pub fn tables(&self) -> Vec<Table> {
        let human = |d: &Duration| {
            if d.as_secs() == 0 {
                format!("{} ms", d.as_millis())
            } else {
                crate::duration::human(*d)
            }
        };
        let mut tables = vec![Table::new(
            "Deliveries",
            &["event", "deliveries", "valid", "refused"],
            self.events
                .iter()
                .map(|(event, (all, valid, refused))| {
                    vec![
                        event.clone(),
                        all.to_string(),
                        valid.to_string(),
                        refused.to_string(),
                    ]
                })
                .collect(),
        )];
        tables.push(Table::new(
            "Refused, and why",
            &["verdict", "deliveries"],
            counted(&self.refusals),
        ));
        tables.push(Table::new(
            "Digest forms",
            &["form", "deliveries", "valid"],
            self.digest_forms
                .iter()
                .map(|(form, (all, valid))| {
                    vec![(*form).to_owned(), all.to_string(), valid.to_string()]
                })
                .collect(),
        ));
        tables.push(Table::new(
            "Headers",
            &["header", "requests", "values"],
            self.headers
                .iter()
                .map(|(name, (count, values))| {
                    vec![name.clone(), count.to_string(), listed(values.as_ref())]
                })
                .collect(),
        ));
        tables.push(Table::new(
            "Delay from the payload's time to arrival (valid deliveries)",
            &["deliveries", "min", "median", "p95", "max"],
            self.delay_summary()
                .map(|quantiles| {
                    let mut row = vec![self.delays.len().to_string()];
                    row.extend(quantiles.iter().map(human));
                    vec![row]
                })
                .unwrap_or_default(),
        ));
        let mut repeats: Vec<Vec<String>> = self
            .body_repeats
            .iter()
            .map(|after| {
                vec![
                    "the same body".to_owned(),
                    human(after),
                    "no".to_owned(),
                    "no".to_owned(),
                ]
            })
            .collect();
        repeats.extend(self.purchase_repeats.iter().map(|r| {
            vec![
                format!("purchase {}", r.id),
                human(&r.after),
                yes_no(r.time_changed),
                yes_no(r.signature_changed),
            ]
        }));
        tables.push(Table::new(
            "Repeats",
            &["what", "after", "time changed", "signature changed"],
            repeats,
        ));
        tables.push(Table::new(
            "Fields not in gpwh's templates",
            &["field", "deliveries"],
            counted(&self.unknown_fields),
        ));
        tables.push(Table::new(
            "Events not in gpwh's catalog",
            &["event", "deliveries"],
            counted(&self.unknown_events),
        ));
        tables.push(Table::new(
            "Client addresses",
            &["address", "requests"],
            counted(&self.addresses),
        ));
        tables
    }
}

fn yes_no(yes: bool) -> String {
    if yes { "yes" } else { "no" }.to_owned()
}

fn counted(counts: &BTreeMap<String, usize>) -> Vec<Vec<String>> {
    counts
        .iter()
        .map(|(what, count)| vec![what.clone(), count.to_string()])
        .collect()
}

/// `text/plain (3), application/json (1)`, at most a few, or `(not shown)`
/// for a header that may hold a secret.
fn listed(values: Option<&BTreeMap<String, usize>>) -> String {
    let Some(values) = values else {
        return "(not shown: may be a secret)".to_owned();
    };
    let mut by_count: Vec<(&String, &usize)> = values.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let mut text: Vec<String> = by_count
        .iter()
        .take(VALUES_LISTED)
        .map(|(value, count)| format!("{value} ({count})"))
        .collect();
    if by_count.len() > VALUES_LISTED {
        text.push(format!("{} more", by_count.len() - VALUES_LISTED));
    }
    text.join(", ")
}

/// Each table under its title, columns aligned; `(none)` for an empty one.
pub fn text(requests: usize, tables: &[Table]) -> String {
    let mut report = format!("{requests} requests logged\n");
    for table in tables {
        report.push_str(&format!("\n{}\n", table.title));
        if table.rows.is_empty() {
            report.push_str("  (none)\n");
            continue;
        }
        let rows: Vec<Vec<String>> =
            std::iter::once(table.header.iter().map(|h| (*h).to_owned()).collect())
                .chain(
                    table
                        .rows
                        .iter()
                        .map(|row| row.iter().map(|cell| inert(cell)).collect()),
                )
                .collect();
        let widths: Vec<usize> = (0..table.header.len())
            .map(|column| {
                rows.iter()
                    .map(|row| row[column].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in rows {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            report.push_str(&format!("  {}\n", cells.join("  ").trim_end()));
        }
    }
    report
}

/// Each table as a Markdown table under a heading; `none` for an empty one.
pub fn markdown(requests: usize, tables: &[Table]) -> String {
    let mut report = format!("**{requests} requests logged** (gpwh facts)\n");
    for table in tables {
        report.push_str(&format!("\n#### {}\n\n", table.title));
        if table.rows.is_empty() {
            report.push_str("none\n");
            continue;
        }
        report.push_str(&format!("| {} |\n", table.header.join(" | ")));
        report.push_str(&format!("|{}\n", "---|".repeat(table.header.len())));
        for row in &table.rows {
            let cells: Vec<String> = row.iter().map(|cell| markdown_cell(cell)).collect();
            report.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_text_is_inert_in_text_and_markdown() {
        assert_eq!(
            inert("a\u{1b}[2Jb\u{202e}c\u{85}"),
            "a\\u{1b}[2Jb\\u{202e}c\\u{85}"
        );
        assert_eq!(
            markdown_cell("![x](https://e.example/i.png) | y"),
            "\\!\\[x\\]\\(https:&#8203;//e.example/i.png\\) \\| y"
        );
    }
}
