//! JSON Lines read one line at a time, with a limit on a line's length.

use std::io::{self, BufRead};

/// One line of input.
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// The line's bytes, without its `\n` (nor a `\r` before it).
    Text(&'a [u8]),
    /// A line longer than the limit, skipped: its length in bytes.
    TooLong {
        /// The line's length in bytes, without its `\n`.
        bytes: u64,
    },
}

/// A reader of lines that holds at most one line of at most `max_line_bytes` bytes.
///
/// ```
/// use novel_events_cli::envelopes::{JsonLines, Line};
///
/// let input = "{}\r\nxxxxxxxxxx\n{\"a\":1}";
/// let mut lines = JsonLines::new(input.as_bytes(), 8);
/// assert_eq!(lines.next_line().unwrap(), Some((1, Line::Text(b"{}"))));
/// assert_eq!(lines.next_line().unwrap(), Some((2, Line::TooLong { bytes: 10 })));
/// assert_eq!(lines.next_line().unwrap(), Some((3, Line::Text(b"{\"a\":1}"))));
/// assert_eq!(lines.next_line().unwrap(), None);
/// ```
pub struct JsonLines<R> {
    reader: R,
    buffer: Vec<u8>,
    max_line_bytes: usize,
    number: u64,
}

impl<R: BufRead> JsonLines<R> {
    /// Lines of `reader`, each at most `max_line_bytes` long (without the newline).
    pub fn new(reader: R, max_line_bytes: usize) -> Self {
        Self {
            reader,
            buffer: Vec::new(),
            max_line_bytes,
            number: 0,
        }
    }

    /// The next line and its number (from 1), or `None` at the end of the input.
    pub fn next_line(&mut self) -> io::Result<Option<(u64, Line<'_>)>> {
        self.buffer.clear();
        let mut length: u64 = 0;
        let mut too_long = false;
        let mut read_any = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            };
            if available.is_empty() {
                if !read_any {
                    return Ok(None);
                }
                break;
            }
            read_any = true;
            let (chunk, consumed, end) = match memchr::memchr(b'\n', available) {
                Some(index) => (&available[..index], index + 1, true),
                None => (available, available.len(), false),
            };
            length += chunk.len() as u64;
            if !too_long {
                if length > self.max_line_bytes as u64 {
                    too_long = true;
                    self.buffer = Vec::new();
                } else {
                    self.buffer.extend_from_slice(chunk);
                }
            }
            self.reader.consume(consumed);
            if end {
                break;
            }
        }
        self.number += 1;
        if too_long {
            return Ok(Some((self.number, Line::TooLong { bytes: length })));
        }
        if self.buffer.last() == Some(&b'\r') {
            self.buffer.pop();
        }
        Ok(Some((self.number, Line::Text(&self.buffer))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out its input a few bytes at a time.
    struct Trickle<'a>(&'a [u8], usize);

    impl io::Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn collect(input: &[u8], step: usize, max: usize) -> Vec<(u64, Result<Vec<u8>, u64>)> {
        let reader = io::BufReader::with_capacity(4, Trickle(input, step));
        let mut lines = JsonLines::new(reader, max);
        let mut out = Vec::new();
        while let Some((number, line)) = lines.next_line().unwrap() {
            out.push((
                number,
                match line {
                    Line::Text(text) => Ok(text.to_vec()),
                    Line::TooLong { bytes } => Err(bytes),
                },
            ));
        }
        out
    }

    #[test]
    fn lines_across_buffer_refills() {
        for step in [1, 2, 3, 7] {
            assert_eq!(
                collect(b"abcdef\n\nxy\r\nlast", step, 6),
                [
                    (1, Ok(b"abcdef".to_vec())),
                    (2, Ok(Vec::new())),
                    (3, Ok(b"xy".to_vec())),
                    (4, Ok(b"last".to_vec())),
                ]
            );
        }
    }

    #[test]
    fn a_long_line_is_skipped_and_measured() {
        assert_eq!(
            collect(b"ok\n0123456789abcdef\nok\n", 3, 5),
            [
                (1, Ok(b"ok".to_vec())),
                (2, Err(16)),
                (3, Ok(b"ok".to_vec()))
            ]
        );
        assert_eq!(collect(b"0123456", 2, 6), [(1, Err(7))]);
    }

    #[test]
    fn an_empty_input_has_no_lines_and_a_final_newline_ends_the_last() {
        assert!(collect(b"", 1, 5).is_empty());
        assert_eq!(collect(b"a\n", 1, 5), [(1, Ok(b"a".to_vec()))]);
    }
}
