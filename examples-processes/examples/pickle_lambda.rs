//! Translates: "Python multiprocessing: True Parallelism", "Common Pitfalls and Best Practices", what will not pickle.
//!
//! pickle sends a function as its name, and the process that receives it looks the name up. So
//! does `apply` here: it starts a worker (this program with the role `apply`), gives it a
//! function's name and the data, and the worker runs whatever it finds under that name. A named
//! function is found; a closure's name (`{{closure}}`, Python's `<lambda>`) leads nowhere.
use std::any::type_name_of_val;
use std::process::Command;

type Func = fn(i64) -> i64;

fn process_with_func(func: Func, data: i64) -> i64 {
    func(data)
}

fn double(x: i64) -> i64 {
    x * 2
}

/// What unpickling a function does: find the function that has this name.
fn lookup(name: &str) -> Option<Func> {
    let known: [(&str, Func); 1] = [(type_name_of_val(&double), double)];
    known.into_iter().find(|(known, _)| *known == name).map(|(_, func)| func)
}

/// `pool.apply(process_with_func, (func, data))`, with the function sent as its name.
fn apply(func_name: &str, data: i64) -> Result<i64, String> {
    let me = std::env::current_exe().expect("no path to this program");
    let out = Command::new(me).args(["apply", func_name, &data.to_string()]).output().unwrap();
    let (answer, complaint) =
        (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if out.status.success() {
        Ok(answer.trim().parse().unwrap())
    } else {
        Err(complaint.trim().into())
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, role, name, data] = &args[..] {
        assert_eq!(role, "apply"); // the worker: find the function, run it, print the result
        let func = lookup(name).unwrap_or_else(|| panic!("Can't get function {name}"));
        return println!("{}", process_with_func(func, data.parse().unwrap()));
    }
    // This will fail!
    let transform = |x: i64| x * 2;
    match apply(type_name_of_val(&transform), 10) {
        Ok(result) => panic!("a closure crossed by its name: {result}"),
        Err(e) => println!("Failed: {}", e.lines().find(|l| l.contains("Can't")).unwrap_or(&e)),
    }
    // Solution: use a named function
    let result = apply(type_name_of_val(&double), 10).expect("double crosses by its name");
    println!("Success: {result}");
    assert_eq!(result, 20);
}
