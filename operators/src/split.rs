//! Splits one collection into two without cloning: each update goes to
//! exactly one side. A `clone` of the collection followed by a filter per
//! side would copy every record once per consumer.

use differential_dataflow::{AsCollection, Data};
use timely::dataflow::operators::core::OkErr;

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
