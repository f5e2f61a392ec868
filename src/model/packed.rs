//! Rendered HTML kept compressed until its page is rendered. A build holds
//! every document's HTML from the model stage to the render stage (about
//! 500 MB as text at 100,000 articles), and HTML compresses well and fast
//! with LZ4.

/// HTML, LZ4-compressed.
#[derive(Clone, Default)]
pub struct PackedHtml(Box<[u8]>);

impl PackedHtml {
    /// Compresses `html`.
    pub fn pack(html: &str) -> PackedHtml {
        PackedHtml(lz4_flex::compress_prepend_size(html.as_bytes()).into_boxed_slice())
    }

    /// The HTML again.
    pub fn unpack(&self) -> String {
        // The bytes were packed by this process from a `String`: decoding
        // cannot fail short of memory corruption, so there is no error to
        // carry; an empty body would show it.
        lz4_flex::decompress_size_prepended(&self.0)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default()
    }
}

impl std::fmt::Debug for PackedHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PackedHtml({} bytes)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::PackedHtml;

    #[test]
    fn round_trips_text_of_any_kind() {
        for html in ["", "<p>x</p>", &"<li>Événement 7023 — ✓</li>\n".repeat(500)] {
            assert_eq!(PackedHtml::pack(html).unpack(), html);
        }
    }
}
