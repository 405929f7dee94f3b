//! Presentation helpers shared by the commands: terminal colour (on a TTY, `NO_COLOR` respected),
//! sanitizing untrusted text for the terminal, number formatting, JSON Lines output.

use serde::Serialize;
use std::io::{IsTerminal, Write};

/// Terminal styling decided once per run.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    /// Colour only on a terminal and only when `NO_COLOR` is unset or empty.
    pub fn detect() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            color: !no_color && std::io::stdout().is_terminal(),
        }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }

    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }

    pub fn highlight(&self, s: &str) -> String {
        if self.color {
            self.paint("1;33", s)
        } else {
            format!("[{s}]")
        }
    }
}

/// Removes control characters (terminal escapes included) from text read from articles.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Prints a skipped input or a warning to stderr as `newsdex: KIND ORIGIN: REASON`, e.g.
/// `newsdex: skipped feed.jsonl:3: invalid JSON ...`. Origins (file names) and reasons may hold
/// text from the input, so control characters and escape sequences are neutralized.
pub fn eprint_problem(kind: &str, p: &crate::sources::Problem) {
    let sep = if kind == "warning" { ":" } else { "" };
    eprintln!(
        "newsdex: {kind}{sep} {}: {}",
        sanitize(&p.origin),
        sanitize(&p.reason)
    );
}

/// Text with the given byte ranges highlighted, whitespace collapsed to single spaces.
pub fn highlighted(style: &Style, text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for r in ranges {
        if r.start < pos
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        out.push_str(&collapse(&text[pos..r.start]));
        out.push_str(&style.highlight(&collapse(&text[r.clone()])));
        pos = r.end;
    }
    out.push_str(&collapse(&text[pos..]));
    out
}

fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_space = false;
    for c in sanitize(s).chars() {
        if c.is_whitespace() {
            if !prev_space {
                out.push(' ');
            }
            prev_space = true;
        } else {
            out.push(c);
            prev_space = false;
        }
    }
    out
}

/// `12345` → `12,345`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Writes one value as a line of JSON.
pub fn json_line<W: Write, T: Serialize>(out: &mut W, value: &T) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_and_sanitizes() {
        let plain = Style { color: false };
        let text = "Talks in\nGeneva \x1b[31mended";
        let ranges = vec![9..15, 40..50];
        let out = highlighted(&plain, text, &ranges);
        assert_eq!(out, "Talks in [Geneva] [31mended");
        assert_eq!(thousands(2225), "2,225");
        assert_eq!(thousands(100), "100");
    }
}
