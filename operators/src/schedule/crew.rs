//! Crews: technicians the planner cannot tell apart (same depot, skills and
//! shift). Planning per crew rather than per technician keeps the program
//! small and free of symmetric optima; the crew's technicians are named
//! after solving, in id order.

use std::collections::BTreeMap;

use schemas::{Component, Technician};

/// Interchangeable technicians, sorted as given (by id).
#[derive(Debug, PartialEq)]
pub(crate) struct Crew<'a> {
    /// The members; never empty.
    pub members: Vec<&'a Technician>,
}

impl Crew<'_> {
    /// The member that stands for the crew (all share depot, skills, shift).
    pub fn lead(&self) -> &Technician {
        self.members[0]
    }
}

/// Groups technicians into crews, ordered by their first member.
pub(crate) fn crews(technicians: &[Technician]) -> Vec<Crew<'_>> {
    let mut index: BTreeMap<(&str, Vec<Component>, u8, u8), usize> = BTreeMap::new();
    let mut out: Vec<Crew<'_>> = Vec::new();
    for t in technicians {
        let mut skills = t.skills.clone();
        skills.sort();
        skills.dedup();
        let key = (t.depot.as_str(), skills, t.shift_start_hour, t.shift_end_hour);
        match index.get(&key) {
            Some(&i) => out[i].members.push(t),
            None => {
                index.insert(key, out.len());
                out.push(Crew { members: vec![t] });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tech(id: &str, skills: &[Component], start: u8) -> Technician {
        Technician {
            technician_id: id.into(),
            name: id.into(),
            depot: "d".into(),
            skills: skills.to_vec(),
            shift_start_hour: start,
            shift_end_hour: 16,
        }
    }

    #[test]
    fn technicians_alike_form_one_crew() {
        let all = [
            tech("a", &[Component::Brakes, Component::Engine], 8),
            tech("b", &[Component::Cooling], 8),
            tech("c", &[Component::Engine, Component::Brakes], 8),
            tech("d", &[Component::Cooling], 9),
        ];
        let ids: Vec<Vec<&str>> =
            crews(&all).iter().map(|c| c.members.iter().map(|t| t.technician_id.as_str()).collect()).collect();
        assert_eq!(ids, vec![vec!["a", "c"], vec!["b"], vec!["d"]]);
    }
}
