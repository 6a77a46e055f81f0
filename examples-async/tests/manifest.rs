//! Every lesson lessons.toml lists for this chapter, run with its `quick` flags, its `bad` flags
//! and `--help`, and its short translation with no flags: `lesson::testing::run_manifest_lessons`.

fn main() -> std::process::ExitCode {
    lesson::testing::run_manifest_lessons("async")
}
