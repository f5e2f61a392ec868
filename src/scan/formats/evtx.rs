//! Windows `.evtx` files, read with the `evtx` crate (the reference
//! parser, kept up to date, pure Rust; chunks parsed in parallel on rayon,
//! which kbgen already uses). Each record is rendered to event XML and read
//! by [`super::event_xml`], the reader of exported XML, so both paths give
//! the same record. A chunk that cannot be read is reported with its file
//! offset and the rest of the file is still read.

use super::event_xml;
use crate::diag::error_chain;
use crate::scan::input::Batcher;
use anyhow::{Context, Result};
use evtx::err::EvtxError;
use evtx::{EvtxParser, ParserSettings};
use std::io::{Read, Seek};

/// Size of the file header, and of each chunk after it (the evtx format's).
const HEADER: u64 = 4096;
const CHUNK: u64 = 65536;

/// Reads an `.evtx` file from a seekable reader.
pub fn read<T: Read + Seek>(input: T, out: &mut Batcher) -> Result<()> {
    let file = out.file().to_string();
    let parser = EvtxParser::from_read_seek(input).with_context(|| {
        format!("{file} is not a readable .evtx file (its file header is damaged or it is another format)")
    })?;
    records(parser, out);
    Ok(())
}

/// Reads an `.evtx` file held in memory (from stdin, which cannot seek).
pub fn read_buffer(bytes: Vec<u8>, out: &mut Batcher) -> Result<()> {
    let file = out.file().to_string();
    let parser = EvtxParser::from_buffer(bytes).with_context(|| {
        format!("{file} is not a readable .evtx file (its file header is damaged or it is another format)")
    })?;
    records(parser, out);
    Ok(())
}

fn records<T: Read + Seek>(parser: EvtxParser<T>, out: &mut Batcher) {
    let settings = ParserSettings::new()
        .num_threads(0)
        .indent(false)
        .validate_checksums(false);
    let mut parser = parser.with_configuration(settings);
    // The parser runs on untrusted bytes; should it ever panic (its
    // worker threads hand a panic on to us), the records read so far stay
    // counted and the rest of the file is reported as skipped.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        each_record(&mut parser, out);
    }));
    if read.is_err() {
        out.skip(
            String::new(),
            "the evtx parser failed on this file; the records after the last one read are skipped"
                .to_string(),
        );
    }
}

fn each_record<T: Read + Seek>(parser: &mut EvtxParser<T>, out: &mut Batcher) {
    for item in parser.records() {
        match item {
            Ok(r) => match event_xml::event(&r.data, r.event_record_id) {
                Some(rec) => out.push(rec),
                None => out.skip(
                    format!("record {}", r.event_record_id),
                    "rendered to XML without an <Event> element; skipped".to_string(),
                ),
            },
            Err(e) => {
                let (at, reason) = describe(&e);
                out.skip(at, reason);
            }
        }
    }
}

/// Where an error is in the file and what it means for the records.
fn describe(e: &EvtxError) -> (String, String) {
    match e {
        EvtxError::FailedToParseChunk { chunk_id, source } => (
            format!(
                "chunk {chunk_id} at offset {:#x}",
                HEADER + chunk_id * CHUNK
            ),
            format!(
                "{}; the records of this chunk are skipped, the other chunks are read",
                error_chain(source.as_ref())
            ),
        ),
        EvtxError::FailedToParseRecord { record_id, source } => (
            format!("record {record_id}"),
            format!("{}; this record is skipped", error_chain(source.as_ref())),
        ),
        EvtxError::FailedToReadRecordAt {
            chunk: Some(chunk),
            offset,
            source,
        } => (
            format!(
                "chunk {chunk}, record at offset {:#x}",
                HEADER + chunk * CHUNK + offset
            ),
            format!(
                "{}; this record is skipped, the rest of its chunk is read",
                error_chain(source.as_ref())
            ),
        ),
        other => (String::new(), format!("{}; skipped", error_chain(other))),
    }
}
