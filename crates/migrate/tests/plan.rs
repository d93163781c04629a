//! Integration tests of the side-by-side planner (DESIGN §4.4): the sample hierarchy with the
//! targets of `testdata/plan/`, hostile names through every artifact, invalid targets, the
//! verifier against hand-made violations, and a property test over synthetic hierarchies.

mod common;

#[path = "plan/hostile.rs"]
mod hostile;
#[path = "plan/invalid.rs"]
mod invalid;
#[path = "plan/property.rs"]
mod property;
#[path = "plan/sample.rs"]
mod sample;
#[path = "plan/support.rs"]
mod support;
#[path = "plan/violations.rs"]
mod violations;
