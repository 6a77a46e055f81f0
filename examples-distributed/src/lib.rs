//! The distributed chapter's machinery: the course's programs as MPI ranks (the `mpi` crate,
//! rsmpi, on Open MPI). A rank is one copy of the program that `mpirun` started; ranks share no
//! memory and talk only in messages, so the same binary runs on one machine or on many.
//!
//! * [`launch`]: a lesson run plainly (`cargo run`) starts itself under `mpirun`, and the fault
//!   lesson watches a whole job from outside;
//! * [`factoring`]: the naive factorizer's results packed into one flat message, checked, and the
//!   dynamic coordinator the lesson and the bench share;
//! * [`queue`]: the queue lesson's tags and its tally of what came back;
//! * [`pingpong`]: round trips and streams of small messages, over MPI and over ipc-channel.

pub mod factoring;
pub mod launch;
pub mod pingpong;
pub mod queue;

/// The rank that coordinates, prints and checks in every lesson.
pub const ROOT: mpi::topology::Rank = 0;
