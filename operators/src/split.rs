//! Splits one collection into two or three without cloning: each update goes
//! to exactly one side. A `clone` of the collection followed by a filter per
//! side would copy every record once per consumer.

use differential_dataflow::{AsCollection, Data};
use timely::dataflow::channels::pact::Pipeline;
use timely::dataflow::operators::core::OkErr;
use timely::dataflow::operators::generic::OutputBuilder;
use timely::dataflow::operators::generic::builder_rc::OperatorBuilder;
use timely::progress::operate::FrontierInterest;

use crate::{Coll, Diff, Epoch};

/// The `Ok` values of `side` on the left, the `Err` values on the right.
pub fn split<'s, X, A, B>(input: Coll<'s, X>, side: impl Fn(X) -> Result<A, B> + 'static) -> (Coll<'s, A>, Coll<'s, B>)
where
    X: Data,
    A: Data,
    B: Data,
{
    let (left, right) = input.inner.ok_err::<Vec<(A, Epoch, Diff)>, _, Vec<(B, Epoch, Diff)>, _, _>(
        move |(x, time, diff)| match side(x) {
            Ok(a) => Ok((a, time, diff)),
            Err(b) => Err((b, time, diff)),
        },
    );
    (left.as_collection(), right.as_collection())
}

/// Which of three outputs [`split3`] sends an update to.
pub enum Side<A, B, C> {
    /// The first output.
    First(A),
    /// The second output.
    Second(B),
    /// The third output.
    Third(C),
}

/// The updates `side` sends to each of three outputs, in one pass: two
/// [`split`]s in a row would move the first two sides' records twice.
pub fn split3<'s, X, A, B, C>(
    input: Coll<'s, X>,
    side: impl Fn(X) -> Side<A, B, C> + 'static,
) -> (Coll<'s, A>, Coll<'s, B>, Coll<'s, C>)
where
    X: Data,
    A: Data,
    B: Data,
    C: Data,
{
    let mut builder = OperatorBuilder::new("Split3".to_owned(), input.inner.scope());
    let mut updates = builder.new_input(input.inner, Pipeline);
    // It only moves records along: no need to be told of frontier changes.
    builder.set_notify_for(0, FrontierInterest::Never);
    let (first, first_stream) = builder.new_output::<Vec<(A, Epoch, Diff)>>();
    let (second, second_stream) = builder.new_output::<Vec<(B, Epoch, Diff)>>();
    let (third, third_stream) = builder.new_output::<Vec<(C, Epoch, Diff)>>();
    let (mut first, mut second, mut third) =
        (OutputBuilder::from(first), OutputBuilder::from(second), OutputBuilder::from(third));
    builder.build(move |_| {
        move |_frontiers| {
            let (mut first, mut second, mut third) = (first.activate(), second.activate(), third.activate());
            updates.for_each_stamp(|time, containers| {
                let (mut a, mut b, mut c) = (first.session(&time), second.session(&time), third.session(&time));
                for (x, epoch, diff) in containers.flat_map(|c| c.drain(..)) {
                    match side(x) {
                        Side::First(x) => a.give((x, epoch, diff)),
                        Side::Second(x) => b.give((x, epoch, diff)),
                        Side::Third(x) => c.give((x, epoch, diff)),
                    }
                }
            });
        }
    });
    (first_stream.as_collection(), second_stream.as_collection(), third_stream.as_collection())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::run_epochs;

    fn by_remainder(x: u32) -> Side<u32, String, i64> {
        match x % 3 {
            0 => Side::First(x),
            1 => Side::Second(x.to_string()),
            _ => Side::Third(-i64::from(x)),
        }
    }

    #[test]
    fn each_update_goes_to_its_one_side_with_its_epoch_and_diff() {
        let epochs = || vec![vec![(3, 1), (4, 1), (5, 1)], vec![(4, -1), (6, 2)]];
        let first = run_epochs(epochs(), |c| split3(c, by_remainder).0);
        let second = run_epochs(epochs(), |c| split3(c, by_remainder).1);
        let third = run_epochs(epochs(), |c| split3(c, by_remainder).2);
        assert_eq!(first, vec![(3, 0, 1), (6, 1, 2)]);
        assert_eq!(second, vec![("4".to_string(), 0, 1), ("4".to_string(), 1, -1)]);
        assert_eq!(third, vec![(-5, 0, 1)]);
    }
}
