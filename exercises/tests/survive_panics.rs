use exercises::survive_panics::{Job, run_all};

#[test]
fn good_jobs_return_values_in_order() {
    let jobs: Vec<Job> = (0..5u64)
        .map(|i| Box::new(move || i * 100) as Job)
        .collect();
    assert_eq!(
        run_all(jobs),
        vec![Ok(0), Ok(100), Ok(200), Ok(300), Ok(400)]
    );
}

#[test]
fn a_panic_becomes_an_error_and_the_rest_still_finish() {
    let jobs: Vec<Job> = vec![
        Box::new(|| 1),
        Box::new(|| panic!("static message")),
        Box::new(|| 3),
        Box::new(|| {
            let n = 4;
            panic!("formatted message {n}")
        }),
        Box::new(|| std::panic::panic_any(42u8)),
    ];
    let out = run_all(jobs);
    assert_eq!(out[0], Ok(1));
    assert_eq!(out[1], Err("static message".to_string()));
    assert_eq!(out[2], Ok(3));
    assert_eq!(out[3], Err("formatted message 4".to_string()));
    assert!(
        out[4].is_err(),
        "a payload that is not text still counts as an error"
    );
    assert_eq!(out.len(), 5);
}
