// The CSV data-set parser: turns the bytes of a user's .csv file into a dense
// feature matrix and a target vector, or throws vgl::Error with a message that names
// the line and column to fix. It reads untrusted input (and is a fuzz target), so it
// is written to be safe on any bytes: no recursion, and memory bounded by a small
// multiple of `length`, never by what a header or a count in the file claims.
//
// The accepted format (RFC 4180 plus what spreadsheets really export):
//   - The first non-blank row is the header. Names are trimmed of spaces and tabs;
//     an empty or duplicate name is an error, as is a name that is not UTF-8.
//   - A UTF-8 byte-order mark is skipped. UTF-16 files and NUL bytes are refused.
//   - Lines end in CRLF, LF or a lone CR. Line numbers in messages count physical
//     lines from 1 (a line break inside a quoted cell counts), as an editor does.
//   - The separator is ',' — unless the header row has no comma outside quotes, then
//     ';' if it has one, else a tab if it has one (European exports and TSV files).
//   - A cell may be quoted: "a, b" holds a comma, "say ""hi""" a quote, and a quoted
//     cell may span lines. Spaces around the quotes are ignored. A quote inside an
//     unquoted cell is kept as a literal character (5'11" reads as is).
//   - Lines holding nothing but spaces and tabs are skipped anywhere.
//   - Every cell is trimmed of spaces and tabs before it is read.
//   - Feature cells must be decimal numbers in the C locale: "1e3", "-0.5", ".5",
//     "+2" and "5." are fine; "nan", "inf", "0x10", "1,5", text and empty cells are
//     errors, and so is a magnitude beyond the 32-bit float range (about 3.4e38).
//     Values too small for a double (1e-400) read as 0, as strtod does.
//   - Every data row must have as many cells as the header.
//
// The target column (options.target_column, else the last column):
//   - numeric, every value an integer, at most 32 distinct values -> classification;
//     classes are the values sorted ascending, named by their shortest decimal form
//     ("-1", "0", "2"); y holds the class index.
//   - numeric otherwise -> regression; y holds the value.
//   - any value not a number -> classification over the (trimmed) texts, classes in
//     order of first appearance; such labels must be UTF-8.
//   - an empty target cell is an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vgl {

struct CsvOptions {
  std::string target_column;      // header name of the target (trimmed); empty = the last column
  bool standardize = false;       // z-score every feature column (population std; a constant column gets std 1)
  int64_t max_rows = 1000000;     // data rows (the header not counted); more is an error naming the limit
  int64_t max_columns = 4096;     // header cells, target included
  int64_t max_bytes = 256 << 20;  // length of the whole file, BOM included
};

struct CsvDataset {
  std::vector<std::string> feature_names;  // (features), in file order, target left out
  std::string target_name;
  int64_t rows = 0, features = 0;
  std::vector<float> x;                    // (rows, features), row-major
  std::vector<float> y;                    // (rows); class index (as float) when classification
  bool classification = false;             // see the target rules above
  std::vector<std::string> class_names;    // classification: names in order of index
  // (features), filled only when options.standardize: x holds (raw - mean) / std
  // computed with exactly these float values, so new data can be scaled the same way.
  std::vector<float> feature_mean, feature_std;
};

// Parses `length` bytes at `text` (need not be NUL-terminated; may be null when
// length is 0). Throws vgl::Error with a user-facing message on any problem,
// including options out of range (a limit below 1).
CsvDataset parse_csv(const char* text, size_t length, const CsvOptions& options);

}  // namespace vgl
