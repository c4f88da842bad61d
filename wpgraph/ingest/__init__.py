"""Reading what councils wrote: templates (CSV, XLSX), curated report transcriptions and plan folders, into
records that keep every cell verbatim with the file row and seed line it came from."""
