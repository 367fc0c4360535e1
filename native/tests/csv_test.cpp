// Specification tests for the CSV data-set parser (core/data/csv.h): the format
// rules, the target rules, every user-facing error message, the limits, and a
// randomised robustness loop (any bytes either parse or throw vgl::Error).
#include <cmath>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "check.h"
#include "core/data/csv.h"
#include "core/error.h"

namespace {

vgl::CsvDataset parse(const std::string& text, const vgl::CsvOptions& options = {}) {
  return vgl::parse_csv(text.data(), text.size(), options);
}

vgl::CsvOptions target(const std::string& name) {
  vgl::CsvOptions options;
  options.target_column = name;
  return options;
}

// The message parse() throws, or "" when it succeeds.
std::string error_of(const std::string& text, const vgl::CsvOptions& options = {}) {
  try {
    parse(text, options);
  } catch (const vgl::Error& e) {
    return e.what();
  }
  return "";
}

bool is_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || s.size() - i < n) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

}  // namespace

// ---- the basic shape ---------------------------------------------------------------

TEST(csv_reads_features_row_major_and_a_numeric_target) {
  const auto d = parse("a,b,y\n1,2,0.5\n3,4,1.5\n");
  CHECK_EQ(d.rows, 2);
  CHECK_EQ(d.features, 2);
  CHECK(d.feature_names == (std::vector<std::string>{"a", "b"}));
  CHECK_EQ(d.target_name, std::string("y"));
  CHECK(d.x == (std::vector<float>{1, 2, 3, 4}));
  CHECK(d.y == (std::vector<float>{0.5f, 1.5f}));
  CHECK(!d.classification);
  CHECK(d.class_names.empty());
  CHECK(d.feature_mean.empty() && d.feature_std.empty());
}

TEST(csv_target_column_by_name_is_left_out_of_the_features) {
  const auto d = parse("a,y,b\n1,10.5,2\n3,20.5,4\n", target("y"));
  CHECK(d.feature_names == (std::vector<std::string>{"a", "b"}));
  CHECK_EQ(d.target_name, std::string("y"));
  CHECK(d.x == (std::vector<float>{1, 2, 3, 4}));
  CHECK(d.y == (std::vector<float>{10.5f, 20.5f}));
  // The first column can be the target too, and the option is trimmed.
  const auto first = parse("y,a\n0.5,1\n1.5,2\n", target("  y "));
  CHECK(first.feature_names == (std::vector<std::string>{"a"}));
  CHECK(first.x == (std::vector<float>{1, 2}));
}

TEST(csv_header_names_and_cells_are_trimmed) {
  const auto d = parse("  a ,\tb\t, y \n 1 ,\t2 , 3.5 \n", target("y"));
  CHECK(d.feature_names == (std::vector<std::string>{"a", "b"}));
  CHECK(d.x == (std::vector<float>{1, 2}));
  CHECK(d.y == (std::vector<float>{3.5f}));
}

TEST(csv_unknown_target_lists_the_columns) {
  CHECK_EQ(error_of("a,b,c\n1,2,3\n", target("species")),
           std::string("no column named \"species\"; the columns are: a, b, c"));
  std::string header, row;
  for (int i = 0; i < 40; ++i) {
    header += (i ? ",c" : "c") + std::to_string(i);
    row += i ? ",1" : "1";
  }
  const std::string message = error_of(header + "\n" + row + "\n", target("zz"));
  CHECK(message.find("c29, \xE2\x80\xA6 (10 more)") != std::string::npos);
  CHECK(message.find("c30") == std::string::npos);
}

// ---- header errors ---------------------------------------------------------------

TEST(csv_header_empty_name_is_an_error_naming_the_column) {
  CHECK_THROWS_WITH(parse("a,,c\n1,2,3\n"), "the header (line 1), column 2: the name is empty");
  CHECK_THROWS_WITH(parse("a, \t ,c\n1,2,3\n"), "column 2: the name is empty");
  CHECK_THROWS_WITH(parse("a,b,\n1,2,3\n"), "column 3: the name is empty");
}

TEST(csv_header_duplicate_names_are_an_error_naming_both_columns) {
  CHECK_THROWS_WITH(parse("a,b,a\n1,2,3\n"), "the header (line 1): columns 1 and 3 are both named \"a\"");
  CHECK_THROWS_WITH(parse("a, b,b \n1,2,3\n"), "columns 2 and 3 are both named \"b\"");
}

TEST(csv_header_invalid_utf8_is_an_error_naming_the_column) {
  CHECK_THROWS_WITH(parse("a,b\xFF,c\n1,2,3\n"), "the header (line 1), column 2: the name is not valid UTF-8");
  CHECK_THROWS_WITH(parse("a,b,\xC0\xAF\n1,2,3\n"), "column 3: the name is not valid UTF-8");    // overlong
  CHECK_THROWS_WITH(parse("\xED\xA0\x80,b\n1,2\n"), "column 1: the name is not valid UTF-8");   // surrogate
  const auto d = parse("\xC3\xA9t\xC3\xA9,\xE2\x82\xAC\n1,2\n");                             // été, €
  CHECK_EQ(d.feature_names[0], std::string("\xC3\xA9t\xC3\xA9"));
}

TEST(csv_one_column_is_an_error_since_a_feature_is_required) {
  CHECK_THROWS_WITH(parse("y\n1\n2\n"), "has only one column, \"y\"; a data set needs at least one feature column");
  CHECK_THROWS_WITH(parse("a|b|y\n1|2|3\n"), "separate columns with commas, semicolons or tabs");
}

TEST(csv_header_line_number_counts_leading_blank_lines) {
  CHECK_THROWS_WITH(parse("\n  \n\r\na,a\n1,2\n"), "the header (line 4): columns 1 and 2");
}

// ---- encodings and line ends ------------------------------------------------------

TEST(csv_utf8_bom_is_skipped) {
  const auto d = parse("\xEF\xBB\xBF" "a,y\n1,2\n");
  CHECK_EQ(d.feature_names[0], std::string("a"));
  CHECK_EQ(d.rows, 1);
  CHECK_THROWS_WITH(parse("\xEF\xBB\xBF"), "the file is empty");
  CHECK_THROWS_WITH(parse("\xEF\xBB\xBF\r\n"), "the file is empty");
}

TEST(csv_utf16_is_refused_with_advice) {
  CHECK_THROWS_WITH(parse(std::string("\xFF\xFE" "a\0,\0b\0", 8)), "the file is UTF-16 text; save it as UTF-8");
  CHECK_THROWS_WITH(parse(std::string("\xFE\xFF\0a", 4)), "UTF-16");
}

TEST(csv_nul_byte_is_an_error_naming_its_line) {
  CHECK_EQ(error_of(std::string("a,b\n1,2\n3,\0\n", 12)),
           std::string("line 3 contains a NUL byte; this looks like a binary file, not CSV text"));
  CHECK_THROWS_WITH(parse(std::string("a,b\r\n1,2\r\n\r\n\0", 13)), "line 4 contains a NUL byte");
}

TEST(csv_crlf_lf_and_lone_cr_all_end_lines) {
  for (const char* text : {"a,y\r\n1,2\r\n3,4\r\n", "a,y\n1,2\n3,4\n", "a,y\r1,2\r3,4\r", "a,y\r\n1,2\r3,4",
                           "a,y\n1,2\r\n3,4\r"}) {
    const auto d = parse(text);
    CHECK_EQ(d.rows, 2);
    CHECK(d.x == (std::vector<float>{1, 3}));
  }
}

TEST(csv_line_numbers_count_physical_lines_for_every_line_end) {
  // CRLF is one line end; a lone CR is one; blank lines count.
  CHECK_THROWS_WITH(parse("a,y\r\n1,2\r\n\r\nx,4\r\n"), "line 4, column \"a\" (1): \"x\" is not a number");
  CHECK_THROWS_WITH(parse("a,y\r1,2\r\rx,4\r"), "line 4, column \"a\" (1)");
  CHECK_THROWS_WITH(parse("a,y\n\n\n1,2\n\nx,3\n"), "line 6, column \"a\" (1)");
}

TEST(csv_blank_and_whitespace_lines_are_skipped) {
  const auto d = parse("\n\na,y\n\n1,2\n   \n\t\n3,4\n\n\n");
  CHECK_EQ(d.rows, 2);
  CHECK(d.x == (std::vector<float>{1, 3}));
  CHECK_EQ(parse("a,y\n1,2").rows, 1);  // no final line end
  CHECK_EQ(parse("a,y\n1,2\n  ").rows, 1);
}

// ---- quoting ---------------------------------------------------------------------

TEST(csv_quoted_cells_hold_separators_quotes_and_line_breaks) {
  const auto d = parse(
      "\"a,1\",\"b \"\"x\"\"\",label\n"
      "1,\"2\",\"cat, big\"\n"
      "3, \"4\" ,\"say \"\"hi\"\"\"\n"
      "5,6,\"two\nlines\"\n"
      "7,8,\"\"\"\"\n");
  CHECK(d.feature_names == (std::vector<std::string>{"a,1", "b \"x\""}));
  CHECK(d.x == (std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8}));
  CHECK(d.classification);
  CHECK(d.class_names == (std::vector<std::string>{"cat, big", "say \"hi\"", "two\nlines", "\""}));
}

TEST(csv_line_breaks_inside_quotes_count_toward_line_numbers) {
  // The quoted cell spans lines 2-5 (CRLF, LF and CR inside), so the bad cell is on line 6.
  CHECK_THROWS_WITH(parse("a,y\n1,\"p\r\nq\nr\rs\"\nzz,2\n"), "line 6, column \"a\" (1): \"zz\" is not a number");
  // A cell is reported on the line it starts on, even within a multi-line record.
  CHECK_THROWS_WITH(parse("a,b,y\n1,\"x\ny\",\"z\"\n"), "line 2, column \"b\" (2): \"x\\ny\" is not a number");
  CHECK_THROWS_WITH(parse("y,b,a\n\"l1\nl2\",x,3\n", target("y")), "line 3, column \"b\" (2): \"x\" is not a number");
}

TEST(csv_quote_inside_an_unquoted_cell_is_literal) {
  const auto d = parse("a,label\n1,5'11\"\n2,ab\"c\n");
  CHECK(d.class_names == (std::vector<std::string>{"5'11\"", "ab\"c"}));
}

TEST(csv_unterminated_quote_names_the_line_it_opened_on) {
  CHECK_EQ(error_of("a,b\n1,2\n3,\"4\n5,6\n7,8\n"),
           std::string("line 3, column \"b\" (2): a quote opens here but is never closed "
                       "(inside a quoted cell, write a quote as \"\")"));
  CHECK_THROWS_WITH(parse("a,\"b\n1,2\n"), "line 1, column 2: a quote opens here but is never closed");
  CHECK_THROWS_WITH(parse("a,b\n1,\"2\"\"\n"), "line 2, column \"b\" (2): a quote opens here");
}

TEST(csv_text_after_a_closing_quote_is_an_error) {
  CHECK_THROWS_WITH(parse("a,b\n1,\"2\"3 4,5\n"),
                    "line 2, column \"b\" (2): unexpected text \"3 4\" after a closing quote");
  CHECK_THROWS_WITH(parse("\"a\" x,b\n1,2\n"), "line 1, column 1: unexpected text \"x\" after a closing quote");
  CHECK_THROWS_WITH(parse("a,b\n\"x\ny\"z\n"), "line 3, column \"a\" (1): unexpected text \"z\"");
  // Spaces around quotes are fine.
  CHECK_EQ(parse("a,b\n 1 , \"2\"  \n").x[0], 1.0f);
}

TEST(csv_quoted_empty_feature_cell_is_empty) {
  CHECK_THROWS_WITH(parse("a,b,y\n1,\"\",3\n"), "line 2, column \"b\" (2): the cell is empty");
  CHECK_THROWS_WITH(parse("a,b,y\n1,\" \",3\n"), "line 2, column \"b\" (2): the cell is empty");
}

// ---- separators ------------------------------------------------------------------

TEST(csv_semicolon_and_tab_separators_are_detected_from_the_header) {
  const auto semi = parse("a;b;y\n1;2;3.5\n");
  CHECK(semi.feature_names == (std::vector<std::string>{"a", "b"}));
  CHECK(semi.x == (std::vector<float>{1, 2}));
  const auto tab = parse("a\tb\ty\n1\t2\t3.5\n");
  CHECK(tab.feature_names == (std::vector<std::string>{"a", "b"}));
  CHECK(tab.y == (std::vector<float>{3.5f}));
  // A comma wins; a comma inside quotes does not count; ';' wins over a tab.
  CHECK_EQ(parse("a;b,y\n1,2\n").feature_names[0], std::string("a;b"));
  CHECK(parse("\"a,b\";c;y\n1;2;3\n").feature_names == (std::vector<std::string>{"a,b", "c"}));
  CHECK_EQ(parse("a;b\tc\n1;2\tc\n").feature_names[0], std::string("a"));
  // Spaces pad tab-separated cells, and quotes still work.
  const auto padded = parse("a\t y \n 1 \t\"x\ty\"\n");
  CHECK(padded.class_names == (std::vector<std::string>{"x\ty"}));
}

TEST(csv_decimal_comma_in_a_semicolon_file_gets_a_hint) {
  CHECK_EQ(error_of("a;y\n1,5;2\n"),
           std::string("line 2, column \"a\" (1): \"1,5\" is not a number (write decimals with a point, not a comma)"));
  CHECK_EQ(error_of("a,y\n\"1,5\",2\n"), std::string("line 2, column \"a\" (1): \"1,5\" is not a number"));
}

// ---- numbers ---------------------------------------------------------------------

TEST(csv_numbers_accept_the_c_locale_decimal_forms) {
  const std::vector<std::pair<std::string, float>> good = {
      {"1e3", 1000.0f}, {"-0.5", -0.5f}, {".5", 0.5f},     {"5.", 5.0f},     {"+2", 2.0f},
      {"-.25", -0.25f}, {"1E-3", 0.001f}, {"2.5e+2", 250.0f}, {"007", 7.0f},  {"0", 0.0f},
      {"1e-400", 0.0f}, {"3.4e38", 3.4e38f}, {"  12  ", 12.0f}, {"\"6\"", 6.0f},
      {"0.0000000000000000000000000000000000000000000000000000000001e-300", 0.0f}};
  for (const auto& [text, value] : good) {
    const auto d = parse("a,y\n" + text + ",1\n");
    CHECK_EQ(d.x[0], value);
  }
}

TEST(csv_numbers_refuse_nan_inf_hex_and_text) {
  for (const char* text : {"nan", "NaN", "inf", "-inf", "+inf", "infinity", "0x10", "1e", "1e+", "1,5", "1 2", "--1",
                           "+-1", "-+1", "++1", ".", "-", "+", "e5", "abc", "1.2.3", "1_000", "\xC2\xA0" "1", "1f",
                           "0x1p3", "1d"}) {
    const std::string cell = text;
    CHECK_THROWS_WITH(parse("a,y\n\"" + cell + "\",1\n"), "is not a number");
  }
  CHECK_EQ(error_of("x,petal_width,z,w\n1,2,3,4\n1,2,3,4\n1,2,3,4\n5,6,abc,8\n", target("x")),
           std::string("line 5, column \"z\" (3): \"abc\" is not a number"));
}

TEST(csv_numbers_beyond_the_float_range_are_errors) {
  CHECK_EQ(error_of("a,y\n1e39,1\n"),
           std::string("line 2, column \"a\" (1): \"1e39\" is out of range (a 32-bit float holds up to about 3.4e38)"));
  CHECK_THROWS_WITH(parse("a,y\n-1e999,1\n"), "\"-1e999\" is out of range");
  CHECK_THROWS_WITH(parse("a,y\n1e99999999999999999999999,1\n"), "is out of range");
  CHECK_THROWS_WITH(parse("a,y\n1,2e38\n1,5e38\n"), "line 3, column \"y\" (2): \"5e38\" is out of range");
  // A 400-digit integer has no exponent but still overflows.
  CHECK_THROWS_WITH(parse("a,y\n1" + std::string(400, '0') + ",1\n"), "is out of range");
}

TEST(csv_empty_feature_cell_is_an_error) {
  CHECK_EQ(error_of("a,b,y\n1,2,3\n4,,6\n"), std::string("line 3, column \"b\" (2): the cell is empty"));
  CHECK_THROWS_WITH(parse("a,b,y\n,2,3\n"), "line 2, column \"a\" (1): the cell is empty");
}

// ---- row shape -------------------------------------------------------------------

TEST(csv_rows_must_have_as_many_cells_as_the_header) {
  CHECK_EQ(error_of("a,b,c,d,y\n1,2,3,4,5\n1,2,3\n"), std::string("line 3 has 3 cells; the header has 5"));
  CHECK_THROWS_WITH(parse("a,b,y\n1\n"), "line 2 has 1 cell; the header has 3");
  CHECK_THROWS_WITH(parse("a,b,y\n1,2,3,4\n"), "line 2 has 4 cells; the header has 3");
  CHECK_THROWS_WITH(parse("a,b,y\n1,2,3,\n"), "line 2 has 4 cells; the header has 3");
  CHECK_THROWS_WITH(parse("a,b,y\n" + std::string(100000, ',') + "\n"), "line 2 has 100001 cells; the header has 3");
  // A multi-line record is reported on the line it starts on.
  CHECK_THROWS_WITH(parse("a,b,y\n1,\"2\n\"\n"), "line 2 has 2 cells");
}

TEST(csv_empty_file_and_header_only_file_are_errors) {
  CHECK_EQ(error_of(""), std::string("the file is empty"));
  CHECK_EQ(error_of("\n\r\n  \t \n"), std::string("the file is empty"));
  CHECK_THROWS_WITH(vgl::parse_csv(nullptr, 0, vgl::CsvOptions{}), "the file is empty");
  CHECK_EQ(error_of("a,b\n"), std::string("the file has a header but no data rows"));
  CHECK_EQ(error_of("a,b"), std::string("the file has a header but no data rows"));
  CHECK_EQ(error_of("a,b\r\n\r\n   \r\n"), std::string("the file has a header but no data rows"));
}

// ---- the target ------------------------------------------------------------------

TEST(csv_integer_target_with_few_values_is_classification_sorted_ascending) {
  const auto d = parse("a,y\n1,3\n2,1\n3,2\n4,1.0\n5,-1\n6,+3\n7,-0\n");
  CHECK(d.classification);
  CHECK(d.class_names == (std::vector<std::string>{"-1", "0", "1", "2", "3"}));
  CHECK(d.y == (std::vector<float>{4, 2, 3, 2, 0, 4, 1}));
}

TEST(csv_integer_target_with_32_values_is_classification_and_33_is_regression) {
  std::string text32 = "a,y\n", text33 = "a,y\n";
  for (int i = 0; i < 32; ++i) text32 += "1," + std::to_string(100 - i * 3) + "\n";
  for (int i = 0; i < 33; ++i) text33 += "1," + std::to_string(100 - i * 3) + "\n";
  const auto d32 = parse(text32);
  CHECK(d32.classification);
  CHECK_EQ(d32.class_names.size(), size_t{32});
  CHECK_EQ(d32.class_names.front(), std::string("7"));
  CHECK_EQ(d32.y[0], 31.0f);  // 100 is the largest label
  const auto d33 = parse(text33);
  CHECK(!d33.classification);
  CHECK(d33.class_names.empty());
  CHECK_EQ(d33.y[0], 100.0f);
}

TEST(csv_fractional_target_is_regression) {
  const auto d = parse("a,y\n1,0\n2,1\n3,0.5\n");
  CHECK(!d.classification);
  CHECK(d.y == (std::vector<float>{0, 1, 0.5f}));
}

TEST(csv_text_target_is_classification_in_order_of_first_appearance) {
  const auto d = parse("a,species\n1,versicolor\n2, setosa \n3,versicolor\n4,virginica\n5,setosa\n");
  CHECK(d.classification);
  CHECK(d.class_names == (std::vector<std::string>{"versicolor", "setosa", "virginica"}));
  CHECK(d.y == (std::vector<float>{0, 1, 0, 2, 1}));
  // One text value makes the whole column text; numbers keep their spelling.
  const auto mixed = parse("a,y\n1,2\n2,1.0\n3,x\n4,2\n5,1e999\n");
  CHECK(mixed.class_names == (std::vector<std::string>{"2", "1.0", "x", "1e999"}));
  CHECK(mixed.y == (std::vector<float>{0, 1, 2, 0, 3}));
  // A single class is still a class.
  CHECK_EQ(parse("a,y\n1,cat\n2,cat\n").class_names.size(), size_t{1});
}

TEST(csv_empty_target_is_an_error) {
  CHECK_EQ(error_of("a,y\n1,2\n2,3\n3,4\n4,\n"), std::string("line 5: the target \"y\" is empty"));
  CHECK_THROWS_WITH(parse("y,a\n\"\",1\n", target("y")), "line 2: the target \"y\" is empty");
  CHECK_THROWS_WITH(parse("a,y\n1,cat\n2,  \n"), "line 3: the target \"y\" is empty");
}

TEST(csv_text_target_labels_must_be_utf8) {
  CHECK_EQ(error_of("a,y\n1,cat\n2,d\xE9j\xE0\n"),
           std::string("line 3, column \"y\" (2): the label is not valid UTF-8 text; save the file as UTF-8"));
}

// ---- standardisation -------------------------------------------------------------

TEST(csv_standardize_uses_population_std_and_reports_it) {
  vgl::CsvOptions options;
  options.standardize = true;
  const auto d = parse("a,c,y\n1,7,0\n2,7,0\n3,7,1\n4,7,1\n", options);
  CHECK_EQ(d.feature_mean.size(), size_t{2});
  CHECK_NEAR(d.feature_mean[0], 2.5, 1e-6);
  CHECK_NEAR(d.feature_std[0], std::sqrt(1.25), 1e-6);
  CHECK_NEAR(d.x[0], -1.5 / std::sqrt(1.25), 1e-5);
  CHECK_NEAR(d.x[2], -0.5 / std::sqrt(1.25), 1e-5);
  CHECK_NEAR(d.x[4], 0.5 / std::sqrt(1.25), 1e-5);
  CHECK_NEAR(d.x[6], 1.5 / std::sqrt(1.25), 1e-5);
  // A constant column gets std 1 and becomes all zeros.
  CHECK_NEAR(d.feature_mean[1], 7.0, 1e-6);
  CHECK_EQ(d.feature_std[1], 1.0f);
  for (int r = 0; r < 4; ++r) CHECK_EQ(d.x[r * 2 + 1], 0.0f);
  // The target is never scaled.
  CHECK(d.y == (std::vector<float>{0, 0, 1, 1}));
}

TEST(csv_standardize_gives_zero_mean_unit_std_columns) {
  vgl::CsvOptions options;
  options.standardize = true;
  std::string text = "a,b,y\n";
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1000.0, 5000.0);
  for (int r = 0; r < 500; ++r) text += std::to_string(u(rng)) + "," + std::to_string(u(rng) * 1e-6) + ",1\n";
  const auto d = parse(text, options);
  for (int f = 0; f < 2; ++f) {
    double sum = 0, squares = 0;
    for (int r = 0; r < 500; ++r) sum += d.x[r * 2 + f];
    for (int r = 0; r < 500; ++r) squares += (d.x[r * 2 + f] - sum / 500) * (d.x[r * 2 + f] - sum / 500);
    CHECK_NEAR(sum / 500, 0.0, 1e-5);
    CHECK_NEAR(std::sqrt(squares / 500), 1.0, 1e-5);
  }
  // A constant column of a value with no exact binary form still gets std 1.
  const auto tenth = parse("a,y\n0.1,1\n0.1,2\n0.1,3\n", options);
  CHECK_EQ(tenth.feature_std[0], 1.0f);
  CHECK_EQ(tenth.x[1], 0.0f);
  // Extreme magnitudes stay finite.
  const auto huge = parse("a,y\n3.4e38,1\n-3.4e38,2\n", options);
  CHECK_NEAR(huge.x[0], 1.0, 1e-6);
  CHECK_NEAR(huge.x[1], -1.0, 1e-6);
}

// ---- limits and options ----------------------------------------------------------

TEST(csv_max_rows_is_enforced_and_named) {
  vgl::CsvOptions options;
  options.max_rows = 2;
  CHECK_EQ(parse("a,y\n1,2\n3,4\n\n\n", options).rows, 2);
  CHECK_EQ(error_of("a,y\n1,2\n3,4\n5,6\n", options), std::string("more than 2 rows; the limit is 2"));
  std::string big = "a,y\n";
  big.reserve(4 * 1000001 + 8);
  for (int i = 0; i < 1000000; ++i) big += "1,2\n";
  CHECK_EQ(parse(big).rows, 1000000);
  big += "1,2\n";
  CHECK_EQ(error_of(big), std::string("more than 1000000 rows; the limit is 1000000"));
}

TEST(csv_max_columns_is_enforced_and_named) {
  vgl::CsvOptions options;
  options.max_columns = 4;
  CHECK_EQ(parse("a,b,c,y\n1,2,3,4\n", options).features, 3);
  CHECK_THROWS_WITH(parse("a,b,c,d,y\n1,2,3,4,5\n", options),
                    "the header (line 1) has more than 4 columns; the limit is 4");
  std::string header = "c0";
  for (int i = 1; i <= 4096; ++i) header += ",c" + std::to_string(i);
  CHECK_THROWS_WITH(parse(header + "\n"), "more than 4096 columns; the limit is 4096");
}

TEST(csv_max_bytes_is_enforced_and_named) {
  vgl::CsvOptions options;
  options.max_bytes = 10;
  CHECK_EQ(parse("a,y\n1,2\n", options).rows, 1);
  CHECK_EQ(error_of("a,y\n1,2\n3,4\n", options), std::string("the file is 12 bytes; the limit is 10 bytes"));
}

TEST(csv_limits_below_one_are_refused) {
  vgl::CsvOptions rows, columns, bytes;
  rows.max_rows = 0;
  columns.max_columns = -1;
  bytes.max_bytes = 0;
  CHECK_THROWS_WITH(parse("a,y\n1,2\n", rows), "max_rows must be at least 1");
  CHECK_THROWS_WITH(parse("a,y\n1,2\n", columns), "max_columns must be at least 1");
  CHECK_THROWS_WITH(parse("a,y\n1,2\n", bytes), "max_bytes must be at least 1");
}

// ---- messages stay readable ------------------------------------------------------

TEST(csv_messages_escape_and_shorten_what_they_quote) {
  CHECK_THROWS_WITH(parse("a,y\n\"x\ty\r\n\"\"z\",1\n"), "\"x\\ty\\r\\n\\\"z\" is not a number");
  CHECK_THROWS_WITH(parse("a,y\nab\xFF\x01,1\n"), "\"ab\\xff\\x01\" is not a number");
  const std::string message = error_of("a,y\n" + std::string(100, 'q') + ",1\n");
  CHECK(message.find("\"" + std::string(40, 'q') + "\xE2\x80\xA6\" is not a number") != std::string::npos);
  // Multi-byte characters are never cut in half.
  std::string euros;
  for (int i = 0; i < 50; ++i) euros += "\xE2\x82\xAC";
  CHECK(is_utf8(error_of("a,y\n" + euros + ",1\n")));
  // A byte-order mark in the middle of a file (two exports pasted together) is invisible; name it.
  CHECK_THROWS_WITH(parse("a,y\n1,2\n\xEF\xBB\xBF" "a,y\n"), "\"\\uFEFFa\" is not a number");
}

// ---- robustness ------------------------------------------------------------------

namespace {

// What every successful parse must satisfy, whatever the input.
void check_dataset_invariants(const vgl::CsvDataset& d, bool standardized) {
  CHECK(d.rows >= 1 && d.features >= 1);
  CHECK_EQ(d.x.size(), static_cast<size_t>(d.rows * d.features));
  CHECK_EQ(d.y.size(), static_cast<size_t>(d.rows));
  CHECK_EQ(d.feature_names.size(), static_cast<size_t>(d.features));
  for (float v : d.x) CHECK(std::isfinite(v));
  for (float v : d.y) CHECK(std::isfinite(v));
  if (d.classification) {
    CHECK(!d.class_names.empty());
    for (float v : d.y) CHECK(v >= 0 && v == std::floor(v) && v < static_cast<float>(d.class_names.size()));
    for (const auto& name : d.class_names) CHECK(is_utf8(name));
  } else {
    CHECK(d.class_names.empty());
  }
  for (const auto& name : d.feature_names) CHECK(!name.empty() && is_utf8(name));
  CHECK_EQ(d.feature_mean.size(), standardized ? static_cast<size_t>(d.features) : size_t{0});
  CHECK_EQ(d.feature_std.size(), d.feature_mean.size());
  for (float s : d.feature_std) CHECK(s > 0 && std::isfinite(s));
}

// Runs one input: it must return a sane dataset or throw vgl::Error with a one-line
// UTF-8 message. Returns 1 on success, 0 on vgl::Error; anything else fails the check.
int run_one(const std::string& text, const vgl::CsvOptions& options) {
  try {
    check_dataset_invariants(vgl::parse_csv(text.data(), text.size(), options), options.standardize);
    return 1;
  } catch (const vgl::Error& e) {
    const std::string message = e.what();
    CHECK(!message.empty() && is_utf8(message));
    for (char c : message) CHECK(static_cast<unsigned char>(c) >= 0x20);
    return 0;
  } catch (const std::exception& e) {
    ::vgl_test::fail(__FILE__, __LINE__, std::string("not a vgl::Error: ") + e.what());
  } catch (...) {
    ::vgl_test::fail(__FILE__, __LINE__, "threw something that is not an exception");
  }
  return 0;
}

// Bytes that matter to the parser, drawn more often than the rest.
char interesting_byte(std::mt19937& rng) {
  static const char kBytes[] = ",;\t\"\r\n 0123456789.-+eE aXy\xEF\xBB\xBF\xFF\xC3\xA9";
  std::uniform_int_distribution<int> pick(0, 9);
  if (pick(rng) == 0) return static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
  return kBytes[std::uniform_int_distribution<size_t>(0, sizeof kBytes - 2)(rng)];
}


// A random well-formed-looking CSV: random separator, line ends, padding, quoting
// and cell values, a few of which are bad. Many parse, so the success paths run.
std::string random_table(std::mt19937& rng) {
  static const char* const kValues[] = {"1", "-2.5", "3e2", ".5", "+7", "0", "1e-400", "4", "cat", "dog",
                                        "\"x,\n\"\"y\"", "", "nan", "1e39", "\xFF"};
  static const char* const kEnds[] = {"\n", "\r\n", "\r", "\n\n", "\n \t\n"};
  const auto pick = [&rng](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  const char separator = ",;\t"[pick(3)];
  const size_t columns = 1 + pick(5), rows = pick(6);
  const bool bad = pick(4) == 0;  // otherwise only the first seven (numeric) values
  std::string text = pick(4) == 0 ? "\xEF\xBB\xBF" : "";
  for (size_t c = 0; c < columns; ++c) {
    const std::string name = "c" + std::to_string(c);
    text += (c ? std::string(1, separator) : "") + (pick(3) == 0 ? "\"" + name + "\"" : name);
  }
  for (size_t r = 0; r < rows; ++r) {
    text += kEnds[pick(std::size(kEnds))];
    for (size_t c = 0; c < columns; ++c) {
      if (c) text += separator;
      if (pick(5) == 0) text += ' ';
      text += kValues[bad ? pick(std::size(kValues)) : pick(7)];
    }
  }
  if (pick(2) == 0) text += kEnds[pick(std::size(kEnds))];
  return text;
}

}  // namespace

// Random texts in three flavours: raw bytes (mostly the parser's special ones),
// soups of CSV tokens, and random tables.
TEST(csv_random_inputs_either_parse_or_throw_vgl_error) {
  static const char* const kTokens[] = {",", ",", ",", "\n", "\n", "\r\n", "\r", "1", "-2.5", "3e2", ".5", "y",
                                        "a", "b", "cat", "\"", "\"x,\n\"\"y\"", " ", ";", "\t", "nan", "\xEF\xBB\xBF"};
  std::mt19937 rng(12345);
  int parsed = 0;
  for (int i = 0; i < 30000; ++i) {
    std::string text;
    const size_t pieces = std::uniform_int_distribution<size_t>(0, 80)(rng);
    if (i % 3 == 0) {
      for (size_t k = 0; k < pieces; ++k) text += interesting_byte(rng);
    } else if (i % 3 == 1) {
      std::uniform_int_distribution<size_t> token(0, std::size(kTokens) - 1);
      for (size_t k = 0; k < pieces; ++k) text += kTokens[token(rng)];
    } else {
      text = random_table(rng);
    }
    vgl::CsvOptions options;
    options.standardize = (i % 4) < 2;
    if (i % 5 == 0) options.target_column = "c0";
    if (i % 7 == 0) options.max_rows = 3;
    if (i % 11 == 0) options.max_columns = 2;
    parsed += run_one(text, options);
  }
  CHECK(parsed > 1000);
}

TEST(csv_mutated_valid_files_either_parse_or_throw_vgl_error) {
  const std::string seed =
      "\xEF\xBB\xBF" "sepal length,\"sepal, width\",x3,species\r\n"
      "5.1,3.5,1e-1,setosa\r\n"
      "4.9, 3.0 ,.2,\"set\"\"osa\"\n"
      "\n"
      "6.3,\"2.9\",-0.5,\"virgin\nica\"\r"
      "7.0,3.2,+4,versicolor\n";
  CHECK_EQ(parse(seed).rows, 4);
  std::mt19937 rng(777);
  int parsed = 0;
  for (int i = 0; i < 10000; ++i) {
    std::string text = seed;
    const int edits = std::uniform_int_distribution<int>(1, 6)(rng);
    for (int k = 0; k < edits; ++k) {
      const size_t at = std::uniform_int_distribution<size_t>(0, text.size())(rng);
      switch (std::uniform_int_distribution<int>(0, 4)(rng)) {
        case 0: text.insert(at, 1, interesting_byte(rng)); break;
        case 1: if (at < text.size()) text.erase(at, 1); break;
        case 2: if (at < text.size()) text[at] = interesting_byte(rng); break;
        case 3:
          if (!text.empty()) {
            const size_t from = std::uniform_int_distribution<size_t>(0, text.size() - 1)(rng);
            text.insert(at, text.substr(from, 12));
          }
          break;
        case 4: text.resize(at); break;
      }
    }
    vgl::CsvOptions options;
    options.standardize = (i & 1) != 0;
    if (i % 3 == 0) options.target_column = "x3";
    parsed += run_one(text, options);
  }
  CHECK(parsed > 100);
}
