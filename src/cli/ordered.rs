//! Parallel work, results in input order, a bounded number in flight (issue 7).
//!
//! `check` used to collect every file's report (its whole text and findings) before printing
//! the first, so its memory grew with the corpus. [`for_each_ordered`] hands each result to the
//! caller as soon as it and every result before it are done, and lets the workers run at most
//! `window` items ahead of the last one handed over: a worker that would go further waits. So
//! at most `window` results exist at once — being computed, on their way, or waiting for an
//! earlier one — whatever the number of items, and the output order is the input order
//! whatever the threads do.

use std::ops::ControlFlow;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, mpsc};

/// Run `work` on every item on `threads` threads, the calling thread one of them, and pass the
/// results to `emit` on the calling thread, in the order of `items`. At most `window` items are claimed and not yet emitted at
/// any time. `emit` returning `Break` stops the run: no further item is started and no further
/// result emitted. With one thread (or one item) everything runs on the calling thread, one
/// item at a time, and no thread is started.
///
/// A panic in `work` or `emit` stops the other workers and is passed on to the caller.
pub(super) fn for_each_ordered<T, R>(
    items: &[T],
    threads: usize,
    window: usize,
    work: impl Fn(&T) -> R + Sync,
    mut emit: impl FnMut(R) -> ControlFlow<()>,
) where
    T: Sync,
    R: Send,
{
    let window = window.max(1);
    let threads = threads.min(window).min(items.len());
    if threads <= 1 {
        for item in items {
            if emit(work(item)).is_break() {
                return;
            }
        }
        return;
    }
    let gate = Gate {
        state: Mutex::new(Claims::default()),
        room: Condvar::new(),
        len: items.len(),
        window,
    };
    // `Break` only says that `emit` stopped the run.
    let _ = std::thread::scope(|scope| {
        let (sender, results) = mpsc::channel();
        // The calling thread is one of the `threads`: it works on items too and emits the
        // results between them, so that no thread only waits for messages (on two cores, a
        // third thread woken for every result took a tenth of the run).
        for _ in 1..threads {
            let sender = sender.clone();
            let (gate, work) = (&gate, &work);
            scope.spawn(move || {
                let _stop = StopOnDrop(gate);
                while let Some(i) = gate.claim() {
                    if sender.send((i, work(&items[i]))).is_err() {
                        break;
                    }
                }
            });
        }
        // The workers hold the only senders: `results` ends when the last of them is done.
        drop(sender);
        let _stop = StopOnDrop(&gate);
        let mut order = InOrder::new(window, &gate, &mut emit);
        loop {
            while let Ok((i, result)) = results.try_recv() {
                order.deliver(i, result)?;
            }
            match gate.try_claim() {
                Claim::Item(i) => order.deliver(i, work(&items[i]))?,
                // The earliest item not emitted is a worker's: its result will come.
                Claim::Full => match results.recv() {
                    Ok((i, result)) => order.deliver(i, result)?,
                    Err(_) => return ControlFlow::Continue(()),
                },
                Claim::None => break,
            }
        }
        for (i, result) in results {
            order.deliver(i, result)?;
        }
        ControlFlow::Continue(())
    });
}

/// Results that arrive in any order, emitted in the order of their items.
struct InOrder<'g, R, E> {
    /// Results claimed and not yet emitted have indices in `next..next + window`, so slot
    /// `i % window` is free for result `i` when it arrives.
    pending: Vec<Option<R>>,
    next: usize,
    gate: &'g Gate,
    emit: E,
}

impl<'g, R, E: FnMut(R) -> ControlFlow<()>> InOrder<'g, R, E> {
    fn new(window: usize, gate: &'g Gate, emit: E) -> Self {
        InOrder {
            pending: (0..window).map(|_| None).collect(),
            next: 0,
            gate,
            emit,
        }
    }

    /// Takes result `i` and emits every result that is next in order; `Break` when `emit`
    /// stopped the run.
    fn deliver(&mut self, i: usize, result: R) -> ControlFlow<()> {
        let window = self.pending.len();
        self.pending[i % window] = Some(result);
        while let Some(result) = self.pending[self.next % window].take() {
            self.next += 1;
            (self.emit)(result)?;
            self.gate.emitted(self.next);
        }
        ControlFlow::Continue(())
    }
}

/// Which items are claimed and how many are emitted, shared by the workers and the emitter.
struct Gate {
    state: Mutex<Claims>,
    /// Signalled when an emitted result makes room in the window, or when the run stops.
    room: Condvar,
    len: usize,
    window: usize,
}

#[derive(Default)]
struct Claims {
    /// The next item to claim: items are claimed in order, so the earliest item not yet emitted
    /// is always claimed already and the emitter never waits for an item nobody works on.
    next: usize,
    emitted: usize,
    stop: bool,
}

/// What [`Gate::try_claim`] found.
enum Claim {
    Item(usize),
    /// The window is full: an item can be claimed once an earlier result is emitted.
    Full,
    /// No item is left, or the run stopped.
    None,
}

impl Gate {
    /// The next item to work on, once it lies within the window; `None` when there is none left
    /// or the run stopped.
    fn claim(&self) -> Option<usize> {
        let mut claims = self.lock();
        loop {
            match self.claim_in(&mut claims) {
                Claim::Item(i) => return Some(i),
                Claim::None => return None,
                Claim::Full => {
                    claims = self
                        .room
                        .wait(claims)
                        .unwrap_or_else(PoisonError::into_inner);
                }
            }
        }
    }

    /// The next item to work on, if it lies within the window now.
    fn try_claim(&self) -> Claim {
        self.claim_in(&mut self.lock())
    }

    fn claim_in(&self, claims: &mut Claims) -> Claim {
        if claims.stop || claims.next >= self.len {
            Claim::None
        } else if claims.next < claims.emitted + self.window {
            claims.next += 1;
            Claim::Item(claims.next - 1)
        } else {
            Claim::Full
        }
    }

    fn emitted(&self, count: usize) {
        self.lock().emitted = count;
        self.room.notify_all();
    }

    fn stop(&self) {
        self.lock().stop = true;
        self.room.notify_all();
    }

    /// The lock is never held while user code runs, so a poisoned one holds consistent counts.
    fn lock(&self) -> MutexGuard<'_, Claims> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Stops the run when dropped: when the emitter returns (finished, stopped by `emit`, or
/// unwinding from a panic) the workers waiting for room must not wait for ever, and when a
/// worker unwinds the others must not fill the window behind the result it will never send.
struct StopOnDrop<'a>(&'a Gate);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Results finish out of order (the first of every block of `window` items waits until the
    /// rest of its block is done) and are emitted in order, and no worker ever runs more than
    /// `window` items ahead of the last emitted one.
    #[test]
    fn out_of_order_results_are_emitted_in_order_within_the_window() {
        const WINDOW: usize = 4;
        let items: Vec<usize> = (0..40).collect();
        let finished = Mutex::new(vec![false; items.len()]);
        let done = Condvar::new();
        let emitted = AtomicUsize::new(0);
        let in_flight = AtomicUsize::new(0);
        let most_in_flight = AtomicUsize::new(0);
        let mut order = Vec::new();
        for_each_ordered(
            &items,
            3,
            WINDOW,
            |&i| {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most_in_flight.fetch_max(now, Ordering::SeqCst);
                let ahead = i - emitted.load(Ordering::SeqCst);
                assert!(ahead < WINDOW, "item {i} claimed {ahead} ahead");
                let mut finished = finished.lock().unwrap();
                // Only a worker waits: the calling thread also emits, and waiting there for
                // items that cannot be claimed before it emits deadlocked the test under load.
                let on_worker = std::thread::current().name().is_none();
                if i % WINDOW == 0 && on_worker {
                    let block = i + 1..(i + WINDOW).min(items.len());
                    while !block.clone().all(|j| finished[j]) {
                        finished = done.wait(finished).unwrap();
                    }
                }
                finished[i] = true;
                done.notify_all();
                i
            },
            |i| {
                order.push(i);
                in_flight.fetch_sub(1, Ordering::SeqCst);
                emitted.fetch_add(1, Ordering::SeqCst);
                ControlFlow::Continue(())
            },
        );
        assert_eq!(order, items);
        assert!(most_in_flight.load(Ordering::SeqCst) <= WINDOW);
    }

    #[test]
    fn break_stops_the_run() {
        let items: Vec<usize> = (0..1000).collect();
        let started = AtomicUsize::new(0);
        let mut order = Vec::new();
        for_each_ordered(
            &items,
            2,
            4,
            |&i| {
                started.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i| {
                order.push(i);
                if i == 9 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(order, (0..10).collect::<Vec<_>>());
        // Item 9 was emitted at most 4 - 1 items behind the last claimed one.
        assert!(started.load(Ordering::SeqCst) <= 10 + 4);
    }

    /// Two threads are the calling thread and one more: two items that can only finish
    /// together (each waits for the other to start) are worked on by both.
    #[test]
    fn the_calling_thread_is_one_of_the_workers() {
        let caller = std::thread::current().id();
        let started = Mutex::new(Vec::new());
        let both = Condvar::new();
        let mut order = Vec::new();
        for_each_ordered(
            &[0, 1],
            2,
            2,
            |&i| {
                let mut started = started.lock().unwrap();
                started.push(std::thread::current().id());
                let timeout = std::time::Duration::from_secs(30);
                let (started, wait) = both
                    .wait_timeout_while(started, timeout, |s| s.len() < 2)
                    .unwrap();
                both.notify_all();
                assert!(!wait.timed_out(), "the two items did not run at once");
                assert!(started.contains(&caller));
                i
            },
            |i| {
                order.push(i);
                ControlFlow::Continue(())
            },
        );
        assert_eq!(order, [0, 1]);
    }

    #[test]
    fn one_thread_runs_in_order_on_the_calling_thread() {
        let caller = std::thread::current().id();
        let mut order = Vec::new();
        for_each_ordered(
            &[3, 1, 2],
            1,
            4,
            |&i| {
                assert_eq!(std::thread::current().id(), caller);
                i
            },
            |i| {
                order.push(i);
                ControlFlow::Continue(())
            },
        );
        assert_eq!(order, [3, 1, 2]);
    }

    #[test]
    fn a_panicking_worker_does_not_hang_the_run() {
        let items: Vec<usize> = (0..100).collect();
        let run = std::panic::catch_unwind(|| {
            for_each_ordered(
                &items,
                2,
                2,
                |&i| {
                    assert_ne!(i, 5, "worker panics");
                    i
                },
                |_| ControlFlow::Continue(()),
            );
        });
        assert!(run.is_err());
    }
}
