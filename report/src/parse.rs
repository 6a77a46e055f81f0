//! Reading figures out of a lesson's own output, so that the report's numbers are the lessons'
//! numbers: the aligned tables every lesson prints (`lesson::Table`, and the twins' copy of it)
//! and the units they write times and rates in.

/// A table as a lesson printed it: the header cells and the rows, cut at the columns that the
/// dashed rule under the header marks.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The cell of `row` under the column whose header starts with `column`.
    pub fn cell<'a>(&self, row: &'a [String], column: &str) -> Option<&'a str> {
        let at = self.header.iter().position(|h| h.starts_with(column))?;
        row.get(at).map(String::as_str)
    }

    /// The rows whose cells under the given columns start with the given texts.
    pub fn find(&self, wanted: &[(&str, &str)]) -> Option<&Vec<String>> {
        let matches = |row: &Vec<String>| {
            (wanted.iter())
                .all(|(col, text)| self.cell(row, col).is_some_and(|c| c.starts_with(text)))
        };
        self.rows.iter().find(|row| matches(row))
    }
}

/// Every table in `output`: a line of dash runs (`----  ---`), the header above it, the rows
/// below it up to the first blank or shorter line.
pub fn tables(output: &str) -> Vec<Table> {
    let lines: Vec<&str> = output.lines().collect();
    let is_rule = |l: &str| l.starts_with('-') && l.chars().all(|c| c == '-' || c == ' ');
    let mut found = Vec::new();
    for (i, rule) in lines.iter().enumerate().skip(1) {
        if !is_rule(rule) {
            continue;
        }
        // Column spans: each run of dashes, the last one open-ended.
        let mut spans = Vec::new();
        let mut start = None;
        for (j, c) in rule.char_indices().chain([(rule.len(), ' ')]) {
            match (c, start) {
                ('-', None) => start = Some(j),
                (' ', Some(s)) => {
                    spans.push(s);
                    start = None;
                }
                _ => {}
            }
        }
        let cut = |line: &str| -> Vec<String> {
            let chars: Vec<char> = line.chars().collect();
            (0..spans.len())
                .map(|k| {
                    let from = spans[k].min(chars.len());
                    let to = spans
                        .get(k + 1)
                        .map_or(chars.len(), |&e| e.min(chars.len()));
                    chars[from..to]
                        .iter()
                        .collect::<String>()
                        .trim()
                        .to_string()
                })
                .collect()
        };
        let rows = (lines[i + 1..].iter())
            .take_while(|l| !l.trim().is_empty() && !l.starts_with('(') && !l.starts_with("check:"))
            .map(|l| cut(l))
            .collect();
        found.push(Table {
            header: cut(lines[i - 1]),
            rows,
        });
    }
    found
}

/// A time as lessons print it (`1.23 s`, `45.6 ms`, `789 µs`, `12 ns`), in seconds.
pub fn seconds(text: &str) -> Option<f64> {
    let (number, unit) = split(text)?;
    let scale = match unit {
        "s" => 1.0,
        "ms" => 1e-3,
        "µs" | "us" => 1e-6,
        "ns" => 1e-9,
        _ => return None,
    };
    Some(number * scale)
}

/// A rate as lessons print it (`57.4M/s`, `607k/s`, `3.97M ops/s`, `136k ops/s`), per second.
pub fn per_second(text: &str) -> Option<f64> {
    let text = text.split('/').next()?.trim().trim_end_matches(" ops");
    let (digits, scale) = match text.chars().last()? {
        'k' => (&text[..text.len() - 1], 1e3),
        'M' => (&text[..text.len() - 1], 1e6),
        'G' => (&text[..text.len() - 1], 1e9),
        _ => (text, 1.0),
    };
    digits
        .trim()
        .replace(',', "")
        .parse()
        .ok()
        .map(|v: f64| v * scale)
}

/// A plain number, a speed-up (`1.53x`) or a count with separators (`4,000,000`).
pub fn number(text: &str) -> Option<f64> {
    text.trim()
        .trim_end_matches('x')
        .replace(',', "")
        .parse()
        .ok()
}

fn split(text: &str) -> Option<(f64, &str)> {
    let text = text.trim();
    let at = text.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))?;
    let number = text[..at].replace(',', "").parse().ok()?;
    Some((number, text[at..].trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_lesson_table_and_its_units() {
        let output = "intro\n\nvariant        threads  time      speedup\n-------------  -------  --------  -------\nserial         1        1.57 s    1.00x\nstatic chunks  2        883.4 ms  1.78x\n\nafter\n";
        let found = tables(output);
        assert_eq!(found.len(), 1);
        let table = &found[0];
        assert_eq!(table.header, ["variant", "threads", "time", "speedup"]);
        let row = table
            .find(&[("variant", "static"), ("threads", "2")])
            .unwrap();
        assert_eq!(seconds(table.cell(row, "time").unwrap()), Some(0.8834));
        assert_eq!(number(table.cell(row, "speedup").unwrap()), Some(1.78));
        assert_eq!(per_second("607k/s"), Some(607e3));
        assert_eq!(per_second("3.97M ops/s"), Some(3.97e6));
        assert_eq!(seconds("789 µs"), Some(789e-6));
        assert_eq!(seconds("failed"), None);
    }
}
