// The CSV data-set parser; the accepted format and the target rules are documented
// in csv.h. One forward pass: a Scanner splits records into cells (views into the
// input, or into a per-record arena when a quoted cell holds doubled quotes), then
// each row is checked and converted as it is read, so the only memory that grows is
// the output itself and the target column's text.
#include "core/data/csv.h"

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstring>
#include <set>
#include <string_view>
#include <system_error>
#include <unordered_map>

#include "core/error.h"

namespace vgl {
namespace {

// Classes are stored as float indices, which are exact only up to 2^24.
constexpr size_t kMaxClasses = size_t{1} << 24;
// Integer targets with at most this many distinct values are taken as class labels.
constexpr size_t kMaxIntegerClasses = 32;
// How much of a cell or name an error message quotes, in code points.
constexpr size_t kQuoteLimit = 40;
// How many names "the columns are: ..." lists before summarising the rest.
constexpr size_t kListLimit = 30;

// ---- text helpers ----------------------------------------------------------------

// Length of the well-formed UTF-8 sequence starting at s[i], or 0 when the bytes
// there are not one (stray continuation, overlong form, surrogate, > U+10FFFF).
size_t utf8_length(std::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t n = 0;
  uint32_t cp = 0, min = 0;
  if ((c & 0xE0) == 0xC0) n = 2, cp = c & 0x1Fu, min = 0x80;
  else if ((c & 0xF0) == 0xE0) n = 3, cp = c & 0x0Fu, min = 0x800;
  else if ((c & 0xF8) == 0xF0) n = 4, cp = c & 0x07u, min = 0x10000;
  else return 0;
  if (s.size() - i < n) return 0;
  for (size_t k = 1; k < n; ++k) {
    const unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool is_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = utf8_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Text from the file made safe to show inside a message: at most `limit` code
// points, control characters and bytes that are not UTF-8 escaped (\n, \x00), so a
// message is always one line of valid UTF-8 whatever the file holds.
std::string printable(std::string_view s, size_t limit = kQuoteLimit) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  size_t shown = 0;
  for (size_t i = 0; i < s.size(); ++shown) {
    if (shown == limit) {
      out += "\xE2\x80\xA6";  // the ellipsis, U+2026
      break;
    }
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = utf8_length(s, i);
    if (n == 3 && s.compare(i, 3, "\xEF\xBB\xBF") == 0) {
      out += "\\uFEFF";  // a byte-order mark mid-file (concatenated exports) is invisible
      i += 3;
      continue;
    }
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c == '"') out += "\\\"";
    else if (n == 0 || c < 0x20 || c == 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    ++i;
  }
  return out;
}

std::string quoted(std::string_view s) { return "\"" + printable(s) + "\""; }

bool is_blank_char(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_blank_char(s[b])) ++b;
  while (e > b && is_blank_char(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// `column "name" (3)` once the header is known, `column 3` while reading it.
std::string column_label(const std::vector<std::string>& names, size_t i) {
  if (i < names.size()) return "column " + quoted(names[i]) + " (" + std::to_string(i + 1) + ")";
  return "column " + std::to_string(i + 1);
}

std::string at(int64_t line, const std::vector<std::string>& names, size_t column) {
  return "line " + std::to_string(line) + ", " + column_label(names, column) + ": ";
}

// ---- numbers ---------------------------------------------------------------------

std::string out_of_range_message(int64_t line, const std::vector<std::string>& names, size_t column,
                                 std::string_view cell) {
  return at(line, names, column) + quoted(cell) + " is out of range (a 32-bit float holds up to about 3.4e38)";
}

enum class Number { Ok, NotANumber, OutOfRange };

// For a syntactically valid decimal that from_chars called out of range: true when it
// is too small for a double (1e-400) rather than too large. It only has to tell the
// value's order of magnitude from 0: the real limits (1e308, 1e-324) are far from it.
bool is_underflow(std::string_view s) {
  size_t i = (s[0] == '-') ? 1 : 0;
  // The value is in [10^(magnitude-1), 10^magnitude) times 10^exponent.
  int64_t integer_digits = 0, fraction_zeros = 0;
  bool point = false, significant = false;
  for (; i < s.size() && s[i] != 'e' && s[i] != 'E'; ++i) {
    const char c = s[i];
    if (c == '.') {
      point = true;
    } else if (!point) {
      significant = significant || c != '0';
      if (significant) ++integer_digits;
    } else if (!significant) {
      significant = c != '0';
      if (!significant) ++fraction_zeros;
    }
  }
  const int64_t magnitude = integer_digits > 0 ? integer_digits : -fraction_zeros;
  int64_t exponent = 0;
  if (i < s.size()) {
    ++i;
    const bool negative = i < s.size() && s[i] == '-';
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    // Saturate: the digits may be longer than any integer type holds.
    for (; i < s.size(); ++i) exponent = std::min<int64_t>(exponent * 10 + (s[i] - '0'), 1000000000);
    if (negative) exponent = -exponent;
  }
  return magnitude + exponent <= 0;
}

// Reads a whole trimmed cell as a decimal number, C locale, strtod's syntax minus
// hex, "inf" and "nan". The value must also fit a float, which is what x and y hold.
Number parse_number(std::string_view s, double& out) {
  const char* b = s.data();
  const char* e = b + s.size();
  const bool plus = b < e && *b == '+';
  if (plus) ++b;  // strtod takes a plus sign; from_chars does not
  const char* lead = (!plus && b < e && *b == '-') ? b + 1 : b;
  // Only a digit or a point may start the digits: this refuses "inf", "nan", "+-1".
  if (lead == e || !((*lead >= '0' && *lead <= '9') || *lead == '.')) return Number::NotANumber;
  const auto result = std::from_chars(b, e, out, std::chars_format::general);
  if (result.ptr != e) return Number::NotANumber;
  if (result.ec == std::errc::result_out_of_range) {
    if (!is_underflow(std::string_view(b, static_cast<size_t>(e - b)))) return Number::OutOfRange;
    out = 0.0;
    return Number::Ok;
  }
  if (result.ec != std::errc() || !std::isfinite(out)) return Number::NotANumber;
  return std::fabs(out) > FLT_MAX ? Number::OutOfRange : Number::Ok;
}

// ---- splitting records into cells ------------------------------------------------

struct Cell {
  size_t begin = 0, size = 0;  // bytes, in the input or (in_arena) in the record's arena
  bool in_arena = false;
  int64_t line = 0;            // the physical line the cell starts on
};

// Splits the input into records and cells. A record ends at a line break outside
// quotes; a line break inside quotes belongs to the cell but still counts a line.
class Scanner {
 public:
  Scanner(const char* begin, const char* end) : begin_(begin), p_(begin), end_(end) {}

  void set_separator(char separator) { separator_ = separator; }
  const char* position() const { return p_; }
  // Names used in messages about quoting; empty while the header is being read.
  void set_names(const std::vector<std::string>* names) { names_ = names; }

  // Skips lines holding only spaces and tabs; false when the input is used up.
  bool skip_blank_lines() {
    for (;;) {
      const char* q = p_;
      while (q < end_ && is_blank_char(*q)) ++q;
      if (q == end_) {
        p_ = q;
        return false;
      }
      if (*q != '\n' && *q != '\r') return true;
      p_ = q;
      consume_line_break();
    }
  }

  // Reads the record at the cursor: keeps the first `keep` cells (a row with too many
  // cells is an error anyway, and storing them all would let one line of commas cost
  // a dozen times its size) and returns how many cells the record has.
  size_t read_record(size_t keep, int64_t& record_line) {
    cells_.clear();
    arena_.clear();
    record_line = line_;
    size_t count = 0;
    for (;;) {
      Cell cell = read_cell(count);
      if (count < keep) cells_.push_back(cell);
      ++count;
      if (p_ < end_ && *p_ == separator_) {
        ++p_;
        continue;
      }
      if (p_ < end_) consume_line_break();  // read_cell stops only at these three
      return count;
    }
  }

  std::string_view cell(size_t i) const {
    const Cell& c = cells_[i];
    const char* base = c.in_arena ? arena_.data() : begin_;
    return std::string_view(base + c.begin, c.size);
  }
  int64_t cell_line(size_t i) const { return cells_[i].line; }

 private:
  // A tab is padding unless it separates cells.
  bool is_padding(char c) const { return c == ' ' || (c == '\t' && separator_ != '\t'); }
  bool ends_cell(char c) const { return c == separator_ || c == '\n' || c == '\r'; }

  void consume_line_break() {
    if (*p_ == '\r' && p_ + 1 < end_ && p_[1] == '\n') ++p_;
    ++p_;
    ++line_;
  }

  Cell read_cell(size_t column) {
    Cell cell;
    cell.line = line_;
    const char* q = p_;
    while (q < end_ && is_padding(*q)) ++q;
    if (q == end_ || *q != '"') {
      while (p_ < end_ && !ends_cell(*p_)) ++p_;
      cell.begin = static_cast<size_t>(q - begin_);  // leading padding is trimmed later anyway
      cell.size = static_cast<size_t>(p_ - q);
      return cell;
    }
    const int64_t open_line = line_;
    const char* content = ++q;
    bool doubled = false;
    for (;;) {
      if (q == end_) {
        fail(at(open_line, names(), column) +
             "a quote opens here but is never closed (inside a quoted cell, write a quote as \"\")");
      }
      if (*q == '"') {
        if (q + 1 < end_ && q[1] == '"') {
          doubled = true;
          q += 2;
          continue;
        }
        break;
      }
      if (*q == '\n' || *q == '\r') {
        if (*q == '\r' && q + 1 < end_ && q[1] == '\n') ++q;
        ++line_;
      }
      ++q;
    }
    const char* close = q++;
    while (q < end_ && is_padding(*q)) ++q;
    if (q < end_ && !ends_cell(*q)) {
      const char* stray = q;
      while (q < end_ && !ends_cell(*q) && q - stray < 20) ++q;
      const std::string_view text(stray, static_cast<size_t>(q - stray));
      fail(at(line_, names(), column) + "unexpected text " + quoted(text) +
           " after a closing quote (quote the whole cell, and write a quote inside it as \"\")");
    }
    p_ = q;
    if (!doubled) {
      cell.begin = static_cast<size_t>(content - begin_);
      cell.size = static_cast<size_t>(close - content);
      return cell;
    }
    // Every quote between the opening and closing ones is half of a doubled pair.
    cell.in_arena = true;
    cell.begin = arena_.size();
    for (const char* c = content; c < close; ++c) {
      arena_ += *c;
      if (*c == '"') ++c;
    }
    cell.size = arena_.size() - cell.begin;
    return cell;
  }

  const std::vector<std::string>& names() const {
    static const std::vector<std::string> none;
    return names_ ? *names_ : none;
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  int64_t line_ = 1;
  char separator_ = ',';
  const std::vector<std::string>* names_ = nullptr;
  std::vector<Cell> cells_;
  std::string arena_;  // unescaped quoted cells of the current record
};

// ---- whole-file checks -----------------------------------------------------------

// The physical line (1-based) that byte `pos` is on.
int64_t line_of(const char* begin, const char* pos) {
  int64_t line = 1;
  for (const char* c = begin; c < pos; ++c) {
    if (*c == '\n' || (*c == '\r' && !(c + 1 < pos && c[1] == '\n'))) ++line;
  }
  return line;
}

// ',' unless the header row has no comma outside quotes; then ';' or a tab if it has
// one. Quotes are tracked by toggling, which is exact for well-formed quoting; the
// scanner reports any real quoting error afterwards.
char detect_separator(const char* p, const char* end) {
  bool in_quotes = false, semicolon = false, tab = false;
  for (; p < end; ++p) {
    const char c = *p;
    if (c == '"') in_quotes = !in_quotes;
    else if (in_quotes) continue;
    else if (c == '\n' || c == '\r') break;
    else if (c == ',') return ',';
    else if (c == ';') semicolon = true;
    else if (c == '\t') tab = true;
  }
  return semicolon ? ';' : tab ? '\t' : ',';
}

std::string list_names(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < kListLimit; ++i) out += (i ? ", " : "") + printable(names[i]);
  if (names.size() > kListLimit) out += ", \xE2\x80\xA6 (" + std::to_string(names.size() - kListLimit) + " more)";
  return out;
}

std::vector<std::string> read_header(Scanner& scanner, const CsvOptions& options, int64_t& header_line) {
  const size_t limit = static_cast<size_t>(options.max_columns);
  const size_t count = scanner.read_record(limit + 1, header_line);
  if (count > limit) {
    fail("the header (line " + std::to_string(header_line) + ") has more than " + std::to_string(limit) +
         " columns; the limit is " + std::to_string(limit));
  }
  const std::string where = "the header (line " + std::to_string(header_line) + "), column ";
  std::vector<std::string> names;
  std::unordered_map<std::string_view, size_t> seen;
  names.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const std::string_view name = trim(scanner.cell(i));
    if (!is_utf8(name)) {
      fail(where + std::to_string(i + 1) + ": the name is not valid UTF-8 text; save the file as UTF-8");
    }
    if (name.empty()) fail(where + std::to_string(i + 1) + ": the name is empty; every column needs a name");
    names.emplace_back(name);
  }
  for (size_t i = 0; i < count; ++i) {
    const auto inserted = seen.emplace(names[i], i);
    if (!inserted.second) {
      fail("the header (line " + std::to_string(header_line) + "): columns " +
           std::to_string(inserted.first->second + 1) + " and " + std::to_string(i + 1) + " are both named " +
           quoted(names[i]));
    }
  }
  if (count < 2) {
    fail("the header (line " + std::to_string(header_line) + ") has only one column, " + quoted(names[0]) +
         "; a data set needs at least one feature column besides the target (separate columns with commas, "
         "semicolons or tabs)");
  }
  return names;
}

size_t find_target(const std::vector<std::string>& names, const std::string& wanted) {
  const std::string_view name = trim(wanted);
  if (name.empty()) return names.size() - 1;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return i;
  }
  fail("no column named " + quoted(name) + "; the columns are: " + list_names(names));
}

// ---- the target column -----------------------------------------------------------

// The target cells as read: their text always (the class names if any cell is not a
// number) and their values while every cell so far is one.
class TargetColumn {
 public:
  void add(std::string_view cell, int64_t line, const std::vector<std::string>& names, size_t column) {
    if (cell.empty()) fail("line " + std::to_string(line) + ": the target " + quoted(names[column]) + " is empty");
    double value = 0.0;
    switch (parse_number(cell, value)) {
      case Number::Ok:
        if (numeric) values.push_back(value);
        break;
      // Too large for a float is an error only if the column proves to be numeric;
      // in a text column "1e999" is just another label.
      case Number::OutOfRange:
        if (numeric) values.push_back(0.0);
        if (out_of_range.empty()) {
          out_of_range = out_of_range_message(line, names, column, cell);
        }
        break;
      case Number::NotANumber:
        if (!is_utf8(cell)) fail(at(line, names, column) + "the label is not valid UTF-8 text; save the file as UTF-8");
        numeric = false;
        values = std::vector<double>();  // free it: a text column needs only the text
        break;
    }
    text.append(cell);
    ends.push_back(text.size());
  }

  std::string_view cell(size_t row) const {
    const size_t b = row ? ends[row - 1] : 0;
    return std::string_view(text).substr(b, ends[row] - b);
  }

  std::string text;           // the trimmed cells, concatenated
  std::vector<size_t> ends;   // (rows) end offset of each cell in `text`
  std::vector<double> values; // (rows) while numeric
  bool numeric = true;
  std::string out_of_range;   // the message for the first value too large for a float
};

// Shortest decimal form of an integral value: "3", "-1", "1e+20".
std::string integer_name(double v) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v + 0.0);  // + 0.0 turns -0 into 0
  return std::string(buffer, result.ptr);
}

void finish_target(TargetColumn& target, CsvDataset& out) {
  const size_t rows = target.ends.size();
  out.y.resize(rows);
  if (target.numeric) {
    // Integer labels with few distinct values are classes; the set stops growing one
    // past the limit, which is all the decision needs.
    std::set<double> distinct;
    bool integers = true;
    for (double v : target.values) {
      if (v != std::floor(v)) {
        integers = false;
        break;
      }
      if (distinct.size() <= kMaxIntegerClasses) distinct.insert(v);
    }
    if (integers && distinct.size() <= kMaxIntegerClasses) {
      out.classification = true;
      const std::vector<double> sorted(distinct.begin(), distinct.end());
      for (double v : sorted) out.class_names.push_back(integer_name(v));
      for (size_t r = 0; r < rows; ++r) {
        const auto it = std::lower_bound(sorted.begin(), sorted.end(), target.values[r]);
        out.y[r] = static_cast<float>(it - sorted.begin());
      }
    } else {
      for (size_t r = 0; r < rows; ++r) out.y[r] = static_cast<float>(target.values[r]);
    }
    return;
  }
  out.classification = true;
  std::unordered_map<std::string_view, size_t> index;
  for (size_t r = 0; r < rows; ++r) {
    const std::string_view label = target.cell(r);
    const auto inserted = index.emplace(label, index.size());
    if (inserted.second) {
      if (index.size() > kMaxClasses) {
        fail("the target " + quoted(out.target_name) + " has more than " + std::to_string(kMaxClasses) +
             " distinct values; is it the right column?");
      }
      out.class_names.emplace_back(label);
    }
    out.y[r] = static_cast<float>(inserted.first->second);
  }
}

// z-scores every feature column in place. The mean and std are rounded to float
// first and x is scaled with those, so applying feature_mean/feature_std to new data
// reproduces the training scaling exactly.
void standardize(CsvDataset& out) {
  const size_t rows = static_cast<size_t>(out.rows), features = static_cast<size_t>(out.features);
  // Row-major passes with one accumulator per feature, so x is read in memory order.
  std::vector<double> sum(features, 0.0), squares(features, 0.0);
  std::vector<float> lo(out.x.begin(), out.x.begin() + features), hi = lo;
  for (size_t r = 0; r < rows; ++r) {
    const float* row = out.x.data() + r * features;
    for (size_t f = 0; f < features; ++f) {
      sum[f] += row[f];
      lo[f] = std::min(lo[f], row[f]);
      hi[f] = std::max(hi[f], row[f]);
    }
  }
  std::vector<double> mean(features);
  for (size_t f = 0; f < features; ++f) mean[f] = sum[f] / static_cast<double>(rows);
  for (size_t r = 0; r < rows; ++r) {
    const float* row = out.x.data() + r * features;
    for (size_t f = 0; f < features; ++f) {
      const double d = row[f] - mean[f];
      squares[f] += d * d;
    }
  }
  out.feature_mean.resize(features);
  out.feature_std.resize(features);
  for (size_t f = 0; f < features; ++f) {
    // A constant column would divide by (almost) zero: rounding in the mean leaves a
    // tiny nonzero spread that would blow the column up into noise.
    double spread = lo[f] == hi[f] ? 1.0 : std::sqrt(squares[f] / static_cast<double>(rows));
    // |mean| <= FLT_MAX and spread <= (hi - lo) / 2 <= FLT_MAX in exact arithmetic;
    // the clamps keep a rounding error from making the float conversions overflow.
    const double limit = FLT_MAX;
    out.feature_mean[f] = static_cast<float>(std::clamp(mean[f], -limit, limit));
    out.feature_std[f] = static_cast<float>(std::min(spread, limit));
    // A spread below the float range (denormal columns) rounds to 0.
    if (!(out.feature_std[f] > 0.0f)) out.feature_std[f] = 1.0f;
  }
  for (size_t r = 0; r < rows; ++r) {
    float* row = out.x.data() + r * features;
    for (size_t f = 0; f < features; ++f) {
      row[f] = static_cast<float>((static_cast<double>(row[f]) - out.feature_mean[f]) / out.feature_std[f]);
    }
  }
}

void check_options(const CsvOptions& options) {
  if (options.max_rows < 1) fail("CSV options: max_rows must be at least 1");
  if (options.max_columns < 1) fail("CSV options: max_columns must be at least 1");
  if (options.max_bytes < 1) fail("CSV options: max_bytes must be at least 1");
}

}  // namespace

CsvDataset parse_csv(const char* text, size_t length, const CsvOptions& options) {
  check_options(options);
  if (length == 0) fail("the file is empty");
  if (!text) fail("no CSV text was given");
  if (length > static_cast<uint64_t>(options.max_bytes)) {
    fail("the file is " + std::to_string(length) + " bytes; the limit is " + std::to_string(options.max_bytes) +
         " bytes");
  }
  const char* p = text;
  const char* end = text + length;
  const auto starts_with = [&](const char* prefix, size_t n) {
    return static_cast<size_t>(end - p) >= n && std::memcmp(p, prefix, n) == 0;
  };
  if (starts_with("\xFF\xFE", 2) || starts_with("\xFE\xFF", 2)) {
    fail("the file is UTF-16 text; save it as UTF-8 (\"CSV UTF-8\" in Excel)");
  }
  if (starts_with("\xEF\xBB\xBF", 3)) p += 3;
  if (const void* nul = std::memchr(p, '\0', static_cast<size_t>(end - p))) {
    fail("line " + std::to_string(line_of(p, static_cast<const char*>(nul))) +
         " contains a NUL byte; this looks like a binary file, not CSV text");
  }

  Scanner scanner(p, end);
  if (!scanner.skip_blank_lines()) fail("the file is empty");
  const char separator = detect_separator(scanner.position(), end);
  scanner.set_separator(separator);

  CsvDataset out;
  int64_t header_line = 0;
  const std::vector<std::string> names = read_header(scanner, options, header_line);
  scanner.set_names(&names);
  const size_t columns = names.size();
  const size_t target = find_target(names, options.target_column);
  out.target_name = names[target];
  for (size_t c = 0; c < columns; ++c) {
    if (c != target) out.feature_names.push_back(names[c]);
  }
  const size_t features = columns - 1;
  out.features = static_cast<int64_t>(features);

  TargetColumn target_column;
  int64_t rows = 0;
  while (scanner.skip_blank_lines()) {
    if (rows == options.max_rows) {
      fail("more than " + std::to_string(options.max_rows) + " rows; the limit is " + std::to_string(options.max_rows));
    }
    int64_t line = 0;
    const size_t count = scanner.read_record(columns, line);
    if (count != columns) {
      fail("line " + std::to_string(line) + " has " + plural(count, "cell") + "; the header has " +
           std::to_string(columns));
    }
    for (size_t c = 0; c < columns; ++c) {
      const std::string_view cell = trim(scanner.cell(c));
      const int64_t cell_line = scanner.cell_line(c);
      if (c == target) {
        target_column.add(cell, cell_line, names, c);
        continue;
      }
      double value = 0.0;
      if (cell.empty()) fail(at(cell_line, names, c) + "the cell is empty");
      switch (parse_number(cell, value)) {
        case Number::Ok: break;
        case Number::OutOfRange:
          fail(out_of_range_message(cell_line, names, c, cell));
        case Number::NotANumber: {
          // The usual cause in a ';' file: a decimal comma.
          const bool comma = separator != ',' && cell.find(',') != std::string_view::npos;
          fail(at(cell_line, names, c) + quoted(cell) + " is not a number" +
               (comma ? " (write decimals with a point, not a comma)" : ""));
        }
      }
      out.x.push_back(static_cast<float>(value));
    }
    ++rows;
  }
  if (rows == 0) fail("the file has a header but no data rows");
  if (target_column.numeric && !target_column.out_of_range.empty()) fail(target_column.out_of_range);
  out.rows = rows;
  finish_target(target_column, out);
  if (options.standardize) standardize(out);
  return out;
}

}  // namespace vgl
