//! The learners `train fleet` tries.

use operators::prognostics::fit::Learner;

use super::fleet::learners;

#[test]
fn fleet_training_tries_pls_at_each_component_count_its_features_allow() {
    let fast = [Learner::Linear, Learner::ElasticNet { penalty: 1.0, l1_ratio: 0.5 }];
    let pls = |counts: &[usize]| -> Vec<Learner> { counts.iter().map(|c| Learner::Pls { components: *c }).collect() };
    assert_eq!(learners(1_000, 14, 5_000.0, true), [&fast[..], &pls(&[2, 4, 8, 12])].concat());
    assert_eq!(learners(1_000, 6, 5_000.0, true), [&fast[..], &pls(&[2, 4])].concat());
    let all = learners(5_000, 14, 5_000.0, false);
    assert_eq!(
        all[6..],
        [
            Learner::Neighbours { k: 25, stride: 3 },
            Learner::Svr { c: 10_000.0, epsilon: 100.0, width: 14.0, stride: 3 }
        ]
    );
}
