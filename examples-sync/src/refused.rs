// What Rust refuses to compile: four threads doing `counter += 1` on one shared `u64`.
// This file is not a module of the crate; src/lib.rs includes it as a `compile_fail` doctest,
// and the book shows it next to the compiler's real error.
// ANCHOR: refused
fn main() {
    let mut counter: u64 = 0;
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..1_000 {
                    counter += 1; // every thread wants `&mut counter`
                }
            });
        }
    });
    println!("{counter}");
}
// ANCHOR_END: refused
