//! The bubble sort a child process runs in the multiprocessing guide's first example.

/// Sorts in place by repeated passes that swap neighbours, until a pass swaps nothing.
pub fn bubble_sort<T: PartialOrd>(items: &mut [T]) {
    let mut swapped = true;
    while swapped {
        swapped = false;
        for i in 1..items.len() {
            if items[i - 1] > items[i] {
                items.swap(i - 1, i);
                swapped = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_the_tutorial_array() {
        let mut a = [1, 9, 4, 5, 2, 6, 8, 4];
        bubble_sort(&mut a);
        assert_eq!(a, [1, 2, 4, 4, 5, 6, 8, 9]);
    }

    #[test]
    fn empty_single_and_reversed() {
        let mut empty: [u8; 0] = [];
        bubble_sort(&mut empty);
        let mut one = [7];
        bubble_sort(&mut one);
        assert_eq!(one, [7]);
        let mut rev: Vec<i32> = (0..100).rev().collect();
        bubble_sort(&mut rev);
        assert_eq!(rev, (0..100).collect::<Vec<_>>());
    }
}
