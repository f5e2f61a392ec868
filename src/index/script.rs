//! An index file as the page loads it: `kbgenIndex("name", data);`, a
//! script, since `fetch` is blocked under `file://`.

use super::browser::DIR;
use crate::output::OutputFile;
use serde::Serialize;

/// `kbgenIndex("name", data);` — JSON with `<` escaped so no `</script>`
/// can end it early. The JSON is written straight into the file's bytes,
/// which are then escaped in place: a large file (the log scan's
/// signatures are 80 MB at 100,000 articles) is held once, not twice.
pub(crate) fn script(name: &str, data: &impl Serialize) -> OutputFile {
    let mut bytes = format!("kbgenIndex({name:?},").into_bytes();
    let json_at = bytes.len();
    serde_json::to_writer(&mut bytes, data).expect("index data serialises");
    escape_lt(&mut bytes, json_at);
    bytes.extend_from_slice(b");\n");
    OutputFile {
        path: format!("{DIR}/{name}.js"),
        bytes,
    }
}

/// Writes every `<` of `bytes[from..]` as `\u003c`, in place. In JSON `<`
/// occurs only inside strings, where the escape means the same character.
/// (Escaping while serde_json wrote, a small write at a time, cost more
/// than the serialising.)
fn escape_lt(bytes: &mut Vec<u8>, from: usize) {
    const ESCAPE: &[u8] = b"\\u003c";
    let count = memchr::memchr_iter(b'<', &bytes[from..]).count();
    if count == 0 {
        return;
    }
    let mut read = bytes.len();
    bytes.resize(read + (ESCAPE.len() - 1) * count, 0);
    // From the end: each tail moves right by the escapes still before it.
    let mut write = bytes.len();
    while let Some(i) = memchr::memrchr(b'<', &bytes[from..read]) {
        let lt = from + i;
        let tail = read - (lt + 1);
        bytes.copy_within(lt + 1..read, write - tail);
        write -= tail + ESCAPE.len();
        bytes[write..write + ESCAPE.len()].copy_from_slice(ESCAPE);
        read = lt;
    }
    debug_assert_eq!(write, read, "every escape placed");
}

#[cfg(test)]
mod tests {
    use super::{escape_lt, script};

    /// The same bytes as escaping the whole JSON text with `replace`, for
    /// `<` anywhere: none, first, last, in runs, beside escapes.
    #[test]
    fn every_lt_is_escaped_in_place() {
        let pieces = ["<", "a", "</script>", "\"", "\\", "é", "<<", " "];
        for seed in 0..600usize {
            let len = seed % 17;
            let text: String = (0..len)
                .map(|i| pieces[(i * 7 + seed * 13 + i * i) % pieces.len()])
                .collect();
            let data = vec![text.clone(), format!("{text}<")];
            let json = serde_json::to_string(&data).unwrap();
            let want = format!("kbgenIndex(\"x\",{});\n", json.replace('<', "\\u003c"));
            assert_eq!(String::from_utf8(script("x", &data).bytes).unwrap(), want);
        }
        let mut head = b"<kept>".to_vec();
        escape_lt(&mut head, 6);
        assert_eq!(head, b"<kept>", "bytes before `from` are left as they are");
    }
}
