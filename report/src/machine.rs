//! The machine the report ran on, in the words a reader compares machines by: CPU model, cores,
//! memory, OS and kernel, the rustc and Python that ran the code, and whether something else was
//! keeping the cores busy. `book/measure` writes the same fields into every measured file.

use std::process::Command;
use std::time::Duration;

/// What the report says about the machine.
#[derive(Debug, Clone)]
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory: String,
    pub os: String,
    pub rustc: String,
    /// `None`: no Python was found at the path the report was given.
    pub python: Option<String>,
    /// The share of the cores other programs kept busy in the second before the report started.
    pub busy_before: Option<f64>,
    /// The 1-minute load average at the start and at the end.
    pub load: (String, String),
    /// The share of the cores other programs kept busy while the report ran (its own lessons and
    /// twins not counted).
    pub busy_during: Option<f64>,
    /// CPU ticks when the run started, for `busy_during`.
    start: Option<Ticks>,
}

/// How busy other programs may keep the cores before the report warns that its figures are low.
pub const QUIET: f64 = 0.10;

impl Machine {
    /// Looks at this machine; `python` is the interpreter the twins will run under.
    pub fn describe(python: &str) -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = (cpuinfo.lines().find(|l| l.starts_with("model name")))
            .and_then(|l| l.split(':').nth(1))
            .map_or_else(
                || std::env::consts::ARCH.to_string(),
                |m| m.trim().to_string(),
            );
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let kib: Option<f64> = (meminfo.lines().find(|l| l.starts_with("MemTotal:")))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok());
        let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
        Machine {
            cpu,
            cores: multiproc::cores(),
            memory: kib.map_or("unknown".into(), |k| format!("{:.1} GiB", k / 1_048_576.0)),
            os: format!("{} {}", std::env::consts::OS, release.trim()),
            rustc: version("rustc", &["--version"]).unwrap_or_else(|| "rustc not found".into()),
            python: version(python, &["--version"]),
            busy_before: busy_share(Duration::from_secs(1)),
            load: (load_average(), String::new()),
            busy_during: None,
            start: ticks(),
        }
    }

    /// Notes the load at the end of the run, and how busy other programs kept the cores.
    pub fn finished(&mut self) {
        self.load.1 = load_average();
        self.busy_during = self.start.zip(ticks()).and_then(|(start, end)| {
            let total = end.total.checked_sub(start.total).filter(|&t| t > 0)?;
            let busy = end.busy.saturating_sub(start.busy);
            let others = busy.saturating_sub(end.ours.saturating_sub(start.ours));
            Some(others as f64 / total as f64)
        });
    }

    /// Whether other programs were busy enough to lower the figures.
    pub fn was_busy(&self) -> bool {
        (self.busy_before.into_iter().chain(self.busy_during)).any(|b| b > QUIET)
    }

    /// What the report knows before it starts: the machine, and how busy it is now.
    pub fn start_line(&self) -> String {
        let python = self.python.as_deref().unwrap_or("python not found");
        let busy = self
            .busy_before
            .map_or("unknown".into(), |b| format!("{:.0}%", b * 100.0));
        format!(
            "{} cores, {}, {} memory, {}, {}, {python}; other programs keep {busy} of the cores busy",
            self.cores, self.cpu, self.memory, self.os, self.rustc
        )
    }

    /// The one-line description (the fields `book/measure` writes after `# machine:`).
    pub fn line(&self) -> String {
        let python = self.python.as_deref().unwrap_or("python not found");
        let share = |b: Option<f64>| b.map_or("unknown".into(), |b| format!("{:.0}%", b * 100.0));
        let (before, during) = (share(self.busy_before), share(self.busy_during));
        format!(
            "{} cores, {}, {} memory, {}, {}, {}, load {} at the start ({before} of the cores busy), {} at the end; other programs used {during} of the cores during the run",
            self.cores,
            self.cpu,
            self.memory,
            self.os,
            self.rustc,
            python,
            self.load.0,
            self.load.1
        )
    }
}

/// The first line a program prints for `args`, if it runs.
fn version(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    let text = String::from_utf8_lossy(if out.stdout.is_empty() {
        &out.stderr
    } else {
        &out.stdout
    });
    (out.status.success()).then(|| text.lines().next().unwrap_or("").trim().to_string())
}

fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace()
        .next()
        .unwrap_or("unknown")
        .to_string()
}

/// CPU time in clock ticks: all cores busy and in all, and this process with its reaped children.
#[derive(Debug, Clone, Copy)]
struct Ticks {
    busy: u64,
    total: u64,
    ours: u64,
}

fn ticks() -> Option<Ticks> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> = (stat.lines().next()?.split_whitespace().skip(1))
        .filter_map(|f| f.parse().ok())
        .collect();
    let idle = fields.get(3)? + fields.get(4)?;
    let total: u64 = fields.iter().take(8).sum(); // guest time is already in user time
    let own = std::fs::read_to_string("/proc/self/stat").ok()?;
    // After the command name in parentheses: utime, stime, cutime, cstime are fields 12 to 15.
    let after = own.rsplit_once(") ")?.1;
    let times: Vec<u64> = after
        .split_whitespace()
        .skip(11)
        .take(4)
        .filter_map(|f| f.parse().ok())
        .collect();
    Some(Ticks {
        busy: total.checked_sub(idle)?,
        total,
        ours: times.iter().sum(),
    })
}

/// The share of all cores that were busy over `window`, read from /proc/stat (Linux only).
fn busy_share(window: Duration) -> Option<f64> {
    let sample = || -> Option<(u64, u64)> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let fields: Vec<u64> = (stat.lines().next()?.split_whitespace().skip(1))
            .filter_map(|f| f.parse().ok())
            .collect();
        let idle = fields.get(3)? + fields.get(4)?;
        Some((fields.iter().sum::<u64>() - idle, fields.iter().sum()))
    };
    let (busy0, total0) = sample()?;
    std::thread::sleep(window);
    let (busy1, total1) = sample()?;
    let total = total1.checked_sub(total0).filter(|&t| t > 0)?;
    Some(busy1.saturating_sub(busy0) as f64 / total as f64)
}
