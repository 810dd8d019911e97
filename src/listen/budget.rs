//! The one memory budget of `gpwh listen` (`--max-buffered`): how many
//! bytes of requests it may hold at once, across every connection, so that
//! no number of senders (a tunnel's URL is public) takes more memory than
//! the user chose.
//!
//! A request takes its share as its body is read: the whole declared
//! `Content-Length` before a byte of it is read, or, for a chunked body,
//! more as it arrives; and gives it back once answered, after `--delay`
//! too. A request that finds no room is answered 503 with `Retry-After`.
//! The inspector's deliveries live in the same budget, in what requests in
//! flight leave: they are a record of the past, and go first (oldest
//! first) when a request needs the room.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The bytes listen may hold, and how many requests hold now.
#[derive(Debug)]
pub struct Budget {
    total: usize,
    in_flight: AtomicUsize,
}

/// A request's share of the budget, given back when dropped.
#[derive(Debug)]
pub struct Held {
    budget: Arc<Budget>,
    bytes: usize,
}

impl Budget {
    /// A budget of `total` bytes, none of them held.
    pub fn new(total: usize) -> Arc<Budget> {
        Arc::new(Budget {
            total,
            in_flight: AtomicUsize::new(0),
        })
    }

    /// All of it, in bytes.
    pub fn total(&self) -> usize {
        self.total
    }

    /// What requests in flight leave: the room the inspector may keep
    /// deliveries in.
    pub fn left(&self) -> usize {
        self.total
            .saturating_sub(self.in_flight.load(Ordering::Acquire))
    }

    /// A share of nothing yet, for one request.
    pub fn share(self: &Arc<Self>) -> Held {
        Held {
            budget: Arc::clone(self),
            bytes: 0,
        }
    }

    /// Takes `bytes` more if they fit, whatever the inspector keeps.
    fn take(&self, bytes: usize) -> bool {
        self.in_flight
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                held.checked_add(bytes).filter(|&after| after <= self.total)
            })
            .is_ok()
    }

    fn give_back(&self, bytes: usize) {
        self.in_flight.fetch_sub(bytes, Ordering::AcqRel);
    }
}

impl Held {
    /// Grows this share to `bytes` in all, if the budget has room; false,
    /// and the share as it was, when it has not.
    pub fn grow_to(&mut self, bytes: usize) -> bool {
        if bytes <= self.bytes {
            return true;
        }
        let more = bytes - self.bytes;
        if !self.budget.take(more) {
            return false;
        }
        self.bytes = bytes;
        true
    }

    /// How many bytes it holds.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.budget.give_back(self.bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_taken_up_to_the_total_and_given_back_when_dropped() {
        let budget = Budget::new(100);
        let mut first = budget.share();
        assert!(first.grow_to(60));
        let mut second = budget.share();
        assert!(!second.grow_to(41), "past the total");
        assert_eq!(second.bytes(), 0, "a refused share stays as it was");
        assert!(second.grow_to(40));
        assert_eq!(budget.left(), 0);
        assert!(first.grow_to(60), "what it holds already is no more");
        assert!(!first.grow_to(61));
        drop(first);
        assert_eq!(budget.left(), 60);
        assert!(second.grow_to(100), "grows into what was given back");
        drop(second);
        assert_eq!(budget.left(), 100);
    }

    #[test]
    fn a_share_larger_than_any_budget_is_refused_without_overflow() {
        let budget = Budget::new(100);
        let mut held = budget.share();
        assert!(held.grow_to(10));
        assert!(!budget.share().grow_to(usize::MAX));
        assert_eq!(budget.left(), 90);
    }
}
