//! Translates: Bonannella, "A Guide to Python Multiprocessing and Parallel Programming", "The Process class", `Process(target=bubble_sort)`.
//!
//! `Process(target=bubble_sort, args=(...))`, `start()`, `join()`. Rust has no way to run one of
//! its functions in a new process by name, so the program starts itself again with the role
//! `bubble_sort` and the array as arguments; the child sees the role and runs the function.

use std::process::Command;

fn bubble_sort(mut array: Vec<i64>) {
    let mut check = true;
    while check {
        check = false;
        for i in 0..array.len() - 1 {
            if array[i] > array[i + 1] {
                check = true;
                array.swap(i, i + 1); // Python's three lines through `temp`
            }
        }
    }
    println!("Array sorted: {array:?}");
    assert!(array.is_sorted(), "bubble_sort left the array unsorted"); // ours: a check
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).is_some_and(|role| role == "bubble_sort") {
        // The child: its arguments are the array.
        return bubble_sort(args[2..].iter().map(|x| x.parse().expect("a number")).collect());
    }
    // The parent. `spawn` is `Process(...)` and `start()` in one call.
    let array = [1, 9, 4, 5, 2, 6, 8, 4].map(|x: i64| x.to_string());
    let mut p = Command::new(std::env::current_exe().expect("no path to this program"))
        .arg("bubble_sort")
        .args(&array)
        .spawn()
        .expect("cannot start the child");
    let status = p.wait().expect("wait failed"); // join(): wait for it, and reap it
    println!("child exited: {status}");
    assert!(status.success(), "the child failed");
}
