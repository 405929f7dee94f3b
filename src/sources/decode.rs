//! Bytes → text: the one place that decides encodings and refuses binary or empty input.
//!
//! Policy: a UTF-8 BOM is dropped; a UTF-16 LE/BE BOM selects UTF-16, and so does (with a warning) a
//! BOM-less file whose first 8 KiB show UTF-16's NUL-byte pattern; otherwise bytes with NULs or many
//! control bytes in the first 8 KiB are binary and refused; valid UTF-8 is taken as is; anything else is
//! decoded as Windows-1252 (a superset of Latin-1 for printable text) with a warning.

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How much of a file the binary check looks at.
pub(super) const SNIFF_LEN: usize = 8 * 1024;
/// Above this share of control bytes in the sniffed prefix, a file is binary.
const MAX_CONTROL_PERCENT: usize = 10;

/// Decoded text and an optional warning about how it was decoded.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub warning: Option<String>,
}

/// Decodes a whole file. `Err` carries the reason the file is skipped (empty or binary).
pub fn decode(bytes: Vec<u8>) -> Result<Decoded, String> {
    if bytes.is_empty() {
        return Err("empty file".to_string());
    }
    let decoded = if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        decode_utf16(rest, true)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        decode_utf16(rest, false)
    } else {
        let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes);
        if let Some(little_endian) = utf16_without_bom(body) {
            let mut decoded = decode_utf16(body, little_endian);
            let name = if little_endian {
                "UTF-16LE"
            } else {
                "UTF-16BE"
            };
            let note = format!("no byte-order mark; decoded as {name} from its NUL-byte pattern");
            decoded.warning = Some(match decoded.warning {
                Some(w) => format!("{note}; {w}"),
                None => note,
            });
            return finish(decoded);
        }
        if let Some(reason) = binary_reason(body) {
            return Err(reason);
        }
        let has_bom = body.len() != bytes.len();
        let body = if has_bom { body.to_vec() } else { bytes };
        decode_8bit(body)
    };
    finish(decoded)
}

/// Why a file of nothing but whitespace is skipped.
pub(super) const BLANK: &str = "empty file (nothing but whitespace)";

fn finish(decoded: Decoded) -> Result<Decoded, String> {
    if decoded.text.trim().is_empty() {
        return Err(BLANK.to_string());
    }
    Ok(decoded)
}

/// UTF-16 text saved without a byte-order mark: in the sniffed prefix (at least 16 bytes, even
/// length), nearly every byte at one parity is NUL and almost none at the other (Latin-script text).
/// Returns `Some(true)` for little-endian, `Some(false)` for big-endian.
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let head = &bytes[..bytes.len().min(SNIFF_LEN) & !1];
    if head.len() < 16 {
        return None;
    }
    let pairs = head.len() / 2;
    let even_nuls = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nuls = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let mostly = |n: usize| n * 10 >= pairs * 9;
    let rarely = |n: usize| n * 20 <= pairs;
    if mostly(odd_nuls) && rarely(even_nuls) {
        Some(true)
    } else if mostly(even_nuls) && rarely(odd_nuls) {
        Some(false)
    } else {
        None
    }
}

fn decode_utf16(bytes: &[u8], little_endian: bool) -> Decoded {
    let encoding = if little_endian { UTF_16LE } else { UTF_16BE };
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let warning = had_errors.then(|| {
        format!(
            "malformed {} (odd length or lone surrogates); bad units replaced with U+FFFD",
            encoding.name()
        )
    });
    Decoded {
        text: text.into_owned(),
        warning,
    }
}

fn decode_8bit(bytes: Vec<u8>) -> Decoded {
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            warning: None,
        },
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let text = windows_1252(&bytes);
            let warning = format!(
                "not valid UTF-8 (byte 0x{:02X} at offset {at}); decoded as Windows-1252",
                bytes[at]
            );
            Decoded {
                text,
                warning: Some(warning),
            }
        }
    }
}

/// `bytes` read as Windows-1252 (every byte is a character).
pub(super) fn windows_1252(bytes: &[u8]) -> String {
    WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

/// Why `bytes` look binary, judged on the first 8 KiB: any NUL byte, or more than 10% control bytes
/// other than tab, line feed, carriage return, form feed and escape.
pub(super) fn binary_reason(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if let Some(at) = head.iter().position(|&b| b == 0) {
        return Some(format!("binary file (NUL byte at offset {at})"));
    }
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)) || b == 0x7F)
        .count();
    if controls * 100 > head.len() * MAX_CONTROL_PERCENT {
        return Some(format!(
            "binary file ({controls} control bytes in the first {} bytes)",
            head.len()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode(b"Caf\xC3\xA9 opens".to_vec()).expect("utf8");
        assert_eq!(
            plain,
            Decoded {
                text: "Café opens".to_string(),
                warning: None
            }
        );
        let bom = decode(b"\xEF\xBB\xBFCaf\xC3\xA9 opens".to_vec()).expect("bom");
        assert_eq!(bom, plain);
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in "Zürich €5".encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode(le).expect("le").text, "Zürich €5");
        assert_eq!(decode(be).expect("be").text, "Zürich €5");
    }

    #[test]
    fn utf16_without_bom_is_detected_not_binary() {
        let text = "Headline\r\n\r\nZ\u{fc}rich body text.";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let d = decode(le).expect("le");
        assert_eq!(d.text, text);
        assert!(d.warning.expect("warning").contains("UTF-16LE"));
        assert_eq!(decode(be).expect("be").text, text);
        // Binary with scattered NULs is still binary.
        let mut binary = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0\x01\0\0\0".to_vec();
        binary.extend_from_slice(&[0x40, 0x10, 0, 0, 0, 0, 0, 0]);
        assert!(decode(binary).expect_err("elf").starts_with("binary file"));
    }

    #[test]
    fn malformed_utf16_is_a_warning() {
        let d = decode(vec![0xFF, 0xFE, b'A', 0, b'B']).expect("decoded");
        assert!(d.text.starts_with('A'));
        assert!(d.warning.expect("warning").contains("UTF-16LE"));
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252() {
        let d = decode(b"Price: \xA35m and \x93quoted\x94".to_vec()).expect("decoded");
        assert_eq!(d.text, "Price: £5m and \u{201c}quoted\u{201d}");
        let warning = d.warning.expect("warning");
        assert!(warning.contains("0xA3 at offset 7"), "{warning}");
        assert!(warning.contains("Windows-1252"));
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert_eq!(decode(Vec::new()), Err("empty file".to_string()));
        assert!(decode(b" \n\r\n\t ".to_vec())
            .expect_err("blank")
            .contains("empty"));
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec())
            .expect_err("png")
            .contains("NUL"));
        let controls: Vec<u8> = (0..200)
            .map(|i| if i % 4 == 0 { 0x01 } else { b'a' })
            .collect();
        assert!(decode(controls)
            .expect_err("controls")
            .contains("control bytes"));
        // A few stray controls in text are fine.
        let mut text = b"Headline\n\nBody text with a form feed".to_vec();
        text.push(0x0C);
        assert!(decode(text).is_ok());
    }
}
