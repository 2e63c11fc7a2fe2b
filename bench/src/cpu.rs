//! CPU time used by a process's threads, from Linux's scheduler statistics (nanoseconds, unlike
//! the 10 ms ticks of `/proc/PID/stat`), with the server's hub thread apart from the rest.

use anyhow::Context;

/// CPU time so far, in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct CpuTime {
    /// The thread named `hub`, if there is one.
    pub hub_ms: f64,
    /// All other threads.
    pub other_ms: f64,
}

impl CpuTime {
    /// What was used from `earlier` to this reading.
    pub fn since(&self, earlier: &CpuTime) -> CpuTime {
        CpuTime {
            hub_ms: self.hub_ms - earlier.hub_ms,
            other_ms: self.other_ms - earlier.other_ms,
        }
    }
}

/// The CPU time of `pid`'s threads that are alive now.
pub fn of_process(pid: u32) -> anyhow::Result<CpuTime> {
    let mut time = CpuTime {
        hub_ms: 0.0,
        other_ms: 0.0,
    };
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))? {
        let task = task?.path();
        // A thread may end between the listing and the reading.
        let (Ok(name), Ok(stat)) = (
            std::fs::read_to_string(task.join("comm")),
            std::fs::read_to_string(task.join("schedstat")),
        ) else {
            continue;
        };
        let on_cpu_ns: f64 = stat
            .split_whitespace()
            .next()
            .context("an empty schedstat")?
            .parse()?;
        let ms = on_cpu_ns / 1e6;
        if name.trim() == "hub" {
            time.hub_ms += ms;
        } else {
            time.other_ms += ms;
        }
    }
    Ok(time)
}
