//! Which known names are closest to one a person typed: gpwh's one
//! algorithm for "did you mean", for events (`catalog.rs`) and for
//! every other name the tool takes (probe's cases).

/// Up to three of `names` closest to `typed`, best first: those that
/// contain it (three characters or more, any letter case), or else those
/// spelled most alike (Jaro-Winkler, 0.8 or more). Only names about as close
/// as the best are kept: a near miss hides the rest.
pub fn closest<'a>(typed: &str, names: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted = typed.to_ascii_lowercase();
    let mut scored: Vec<(f64, &'a str)> = names
        .into_iter()
        .filter_map(|name| {
            let candidate = name.to_ascii_lowercase();
            #[allow(
                clippy::cast_precision_loss,
                reason = "lengths of names a person types"
            )]
            let score = if wanted.len() >= 3 && candidate.contains(&wanted) {
                1.0 + wanted.len() as f64 / candidate.len() as f64
            } else {
                strsim::jaro_winkler(&wanted, &candidate)
            };
            (score >= 0.8).then_some((score, name))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let best = scored.first().map_or(0.0, |&(score, _)| score);
    let floor = if best >= 1.0 { 1.0 } else { best - 0.05 };
    scored
        .into_iter()
        .take_while(|&(score, _)| score >= floor)
        .take(3)
        .map(|(_, name)| name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn a_typo_finds_its_name_and_a_part_finds_the_names_holding_it() {
        let cases = ["valid-body", "replayed-body", "stale-body"];
        assert_eq!(closest("replay-body", cases), ["replayed-body"]);
        assert_eq!(closest("body", cases).len(), 3);
        assert!(closest("nothing-like-it", cases).is_empty());
    }
}
