//! One reader per log format; each turns its input into
//! [`LogRecord`](super::record::LogRecord)s handed to a
//! [`Batcher`](super::input::Batcher), a record at a time.

pub mod blocks;
pub mod event_xml;
pub mod evtx;
pub mod json;
pub mod lines;
pub mod table;
pub mod text;
