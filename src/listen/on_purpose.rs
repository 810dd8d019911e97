//! Answers given on purpose, to learn what a sender does with them:
//! `--respond STATUS` for every delivery, `--fail-first N` (503 to the
//! first N deliveries of each body, so that repeats become visible), and
//! `--delay DURATION` (to find the sender's timeout). GamePush documents
//! none of its retries; this is how a user finds them out.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use sha2::{Digest as _, Sha256};

/// How many distinct bodies `--fail-first` counts at most; past it the
/// oldest is forgotten, so memory stays bounded whatever is sent.
const BODIES_COUNTED: usize = 10_000;

/// The status `--fail-first` answers: the one a server gives when it is
/// down for a moment, which invites a retry.
pub const FAIL_FIRST_STATUS: u16 = 503;

/// What to answer on purpose, as the flags said.
#[derive(Debug, Default)]
pub struct OnPurpose {
    /// `--respond`: the status of every answer.
    pub respond: Option<u16>,
    /// `--fail-first`: how many deliveries of each body get 503 first.
    pub fail_first: u32,
    /// `--delay`: how long every answer waits.
    pub delay: Option<Duration>,
    /// Deliveries so far of each body, by its SHA-256, oldest body first.
    seen: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    by_body: HashMap<[u8; 32], u32>,
    order: VecDeque<[u8; 32]>,
}

/// An answer given on purpose: its status, and why in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purposed {
    /// The status answered instead of the usual one.
    pub status: u16,
    /// Which flag made it, as `--fail-first 2: delivery 1 of this body`.
    pub why: String,
}

impl OnPurpose {
    /// The answers of these flags.
    pub fn new(respond: Option<u16>, fail_first: u32, delay: Option<Duration>) -> OnPurpose {
        OnPurpose {
            respond,
            fail_first,
            delay,
            seen: Mutex::default(),
        }
    }

    /// What to answer one delivery of `body` instead of the usual answer,
    /// if anything: 503 while the body has been delivered no more than
    /// `--fail-first` times, else `--respond`'s status.
    pub fn answer(&self, body: &[u8]) -> Option<Purposed> {
        if self.fail_first > 0 {
            let delivery = self.count(body);
            if delivery <= self.fail_first {
                return Some(Purposed {
                    status: FAIL_FIRST_STATUS,
                    why: format!(
                        "--fail-first {}: delivery {delivery} of this body",
                        self.fail_first
                    ),
                });
            }
        }
        self.respond.map(|status| Purposed {
            status,
            why: format!("--respond {status}"),
        })
    }

    /// Counts one more delivery of `body`; which one it is, from 1.
    fn count(&self, body: &[u8]) -> u32 {
        let key: [u8; 32] = Sha256::digest(body).into();
        let mut counts = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !counts.by_body.contains_key(&key) {
            if counts.order.len() >= BODIES_COUNTED
                && let Some(oldest) = counts.order.pop_front()
            {
                counts.by_body.remove(&oldest);
            }
            counts.order.push_back(key);
        }
        let delivery = counts.by_body.entry(key).or_insert(0);
        *delivery = delivery.saturating_add(1);
        *delivery
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_first_answers_503_to_the_first_deliveries_of_each_body() {
        let flags = OnPurpose::new(None, 2, None);
        let statuses = |body: &[u8]| {
            (0..3)
                .map(|_| flags.answer(body).map(|p| p.status))
                .collect::<Vec<_>>()
        };
        assert_eq!(statuses(b"a.b"), [Some(503), Some(503), None]);
        assert_eq!(statuses(b"c.d"), [Some(503), Some(503), None]);
        assert_eq!(
            OnPurpose::new(None, 2, None).answer(b"a.b").unwrap().why,
            "--fail-first 2: delivery 1 of this body"
        );
    }

    #[test]
    fn respond_answers_every_delivery_after_fail_first() {
        let flags = OnPurpose::new(Some(500), 1, None);
        assert_eq!(flags.answer(b"x").unwrap().status, 503);
        let then = flags.answer(b"x").unwrap();
        assert_eq!((then.status, then.why.as_str()), (500, "--respond 500"));
        assert_eq!(OnPurpose::default().answer(b"x"), None);
    }

    #[test]
    fn the_bodies_counted_are_bounded() {
        let flags = OnPurpose::new(None, 1, None);
        for n in 0..=BODIES_COUNTED {
            flags.answer(n.to_string().as_bytes());
        }
        let counts = flags.seen.lock().unwrap();
        assert_eq!(counts.by_body.len(), BODIES_COUNTED);
        assert_eq!(counts.order.len(), BODIES_COUNTED);
        drop(counts);
        // The first body was forgotten: it fails first again.
        assert_eq!(flags.answer(b"0").unwrap().status, 503);
    }
}
