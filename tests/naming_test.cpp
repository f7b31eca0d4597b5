// lib/naming/names.h: validity, sanitizers, Prometheus 3 escaping schemes.
#include <gtest/gtest.h>

#include <cctype>
#include <random>
#include <string>
#include <vector>

#include "naming/names.h"

namespace promvet::naming {
namespace {

struct ValidityCase {
  const char* name;
  bool legacy_metric;
  bool legacy_label;
};

TEST(NamingValidity, LegacyRulesTable) {
  const ValidityCase cases[] = {
      {"http_requests_total", true, true},
      {"vllm:num_requests_running", true, false},  // ':' only in metric names
      {"_x", true, true},
      {"__name__", true, true},  // syntactically fine; reserved is a separate rule
      {":", true, false},
      {"1x", false, false},  // leading digit
      {"x1", true, true},
      {"a-b", false, false},
      {"a.b", false, false},
      {"", false, false},
      {"caf\xc3\xa9", false, false},
  };
  for (const ValidityCase& c : cases) {
    EXPECT_EQ(is_legacy_metric_name(c.name), c.legacy_metric) << c.name;
    EXPECT_EQ(is_legacy_label_name(c.name), c.legacy_label) << c.name;
  }
}

TEST(NamingValidity, Utf8NamesAreAnyValidUtf8) {
  EXPECT_TRUE(is_utf8_name("my.metric/with spaces"));
  EXPECT_TRUE(is_utf8_name("caf\xc3\xa9 \xf0\x9f\x93\x88"));
  EXPECT_FALSE(is_utf8_name(""));
  EXPECT_FALSE(is_utf8_name("bad\xff"));
  EXPECT_FALSE(is_utf8_name("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(is_utf8_name("\xed\xa0\x80"));  // surrogate
  EXPECT_EQ(metric_name_error("my.metric", Validation::kUtf8), "");
  EXPECT_EQ(metric_name_error("bad\xff", Validation::kUtf8), "metric name \"bad\xff\" is not valid UTF-8");
}

TEST(NamingValidity, MetricNameErrorsSayWhy) {
  EXPECT_EQ(metric_name_error("ok_name"), "");
  EXPECT_EQ(metric_name_error(""), "metric name is empty");
  EXPECT_EQ(metric_name_error("1x"), "metric name \"1x\" starts with a digit");
  EXPECT_EQ(metric_name_error("a.b"), "metric name \"a.b\" has characters outside [a-zA-Z0-9_:]");
}

TEST(NamingValidity, LabelNameRulesForExposedAndAttachedLabels) {
  EXPECT_EQ(label_name_error("instance"), "");
  EXPECT_EQ(label_name_error("a:b"), "label name \"a:b\" has characters outside [a-zA-Z0-9_]");
  EXPECT_EQ(label_name_error("9lives"), "label name \"9lives\" starts with a digit");
  EXPECT_EQ(label_name_error("__meta_x"),
            "label name \"__meta_x\" is reserved: names starting with \"__\" are for Prometheus' own use");
  EXPECT_TRUE(is_reserved_label_name("__"));
  EXPECT_FALSE(is_reserved_label_name("_x"));
  // le / quantile are fine on the series that carry them, not as attached labels.
  EXPECT_EQ(label_name_error("le"), "");
  EXPECT_EQ(
      label_name_error("quantile", Validation::kLegacy, LabelUse::kAttached),
      "label name \"quantile\" has a meaning for histograms and summaries and cannot be attached to every sample");
  EXPECT_NE(label_name_error("le", Validation::kLegacy, LabelUse::kAttached), "");
  // UTF-8 validation accepts dots but still refuses reserved names.
  EXPECT_EQ(label_name_error("k8s.pod", Validation::kUtf8), "");
  EXPECT_NE(label_name_error("__x.y", Validation::kUtf8), "");
}

struct SanitizeCase {
  const char* in;
  const char* out;  // nullptr: error expected
};

TEST(NamingSanitize, MetricNameTable) {
  const SanitizeCase cases[] = {
      {"valid_name", "valid_name"},
      {"test:name", "test:name"},  // colons kept
      {"test name", "test_name"},
      {"test.name", "test_name"},
      {"test-name", "test_name"},
      {"test$name#123", "test_name_123"},
      {"test__name", "test__name"},  // double underscores kept in metric names
      {"__test", "__test"},
      {"123test", "_123test"},  // leading digit: prepend, not replace
      {"@test", "_test"},
      {"123.test-name@domain", "_123_test_name_domain"},
      {"caf\xc3\xa9", "caf_"},  // one '_' per code point, not per byte
      {"a\xff"
       "b",
       "a_b"},  // one '_' per invalid byte
      {"", nullptr},
      {"@#$%", nullptr},
      {"____", nullptr},
      {":::", nullptr},
  };
  for (const SanitizeCase& c : cases) {
    SanitizeResult r = sanitize_metric_name(c.in);
    if (c.out == nullptr) {
      EXPECT_FALSE(r.ok) << c.in << " -> " << r.name;
      EXPECT_FALSE(r.error.empty());
    } else {
      EXPECT_TRUE(r.ok) << c.in << ": " << r.error;
      EXPECT_EQ(r.name, c.out) << c.in;
    }
  }
  EXPECT_EQ(sanitize_metric_name("@#$%").error,
            "metric name \"@#$%\" sanitizes to \"____\", which has nothing usable (no letter or digit)");
  EXPECT_EQ(sanitize_metric_name("").error, "cannot sanitize an empty metric name");
}

TEST(NamingSanitize, LabelNameTable) {
  const SanitizeCase cases[] = {
      {"valid_label", "valid_label"},
      {"test:label", "test_label"},  // no colons in label names
      {":test", "_test"},
      {"test__label", "test__label"},  // "__" fine in the middle
      {"__test", "test"},              // leading "__" removed
      {"___x", "x"},                   // the seed's bug gave the reserved "__x"
      {"_____x", "x"},
      {"__1x", "_1x"},  // digit after the run: prepend one '_'
      {"_x", "_x"},     // a single leading '_' is not reserved
      {"123:test-label@domain", "_123_test_label_domain"},
      {"-_x", "x"},  // '-' becomes '_', making "__x"
      {"", nullptr},
      {"____", nullptr},
      {"@#$%", nullptr},
  };
  for (const SanitizeCase& c : cases) {
    SanitizeResult r = sanitize_label_name(c.in);
    if (c.out == nullptr) {
      EXPECT_FALSE(r.ok) << c.in << " -> " << r.name;
    } else {
      EXPECT_TRUE(r.ok) << c.in << ": " << r.error;
      EXPECT_EQ(r.name, c.out) << c.in;
    }
  }
}

TEST(NamingSanitize, BuildsPrefixedComponentNames) {
  EXPECT_EQ(build_prefixed_metric_name("dynamo_component", "requests_total").name, "dynamo_component_requests_total");
  EXPECT_EQ(build_prefixed_metric_name("dynamo_component", "test metric").name, "dynamo_component_test_metric");
  EXPECT_EQ(build_prefixed_metric_name("dynamo_component", "123metric").name, "dynamo_component__123metric");
  EXPECT_FALSE(build_prefixed_metric_name("dynamo_component", "@#$%").ok);
  EXPECT_FALSE(build_prefixed_metric_name("dynamo_component", "").ok);
  SanitizeResult bad = build_prefixed_metric_name("1bad", "x");
  EXPECT_EQ(bad.error, "prefix \"1bad\" is not a valid metric name");
}

// Random names from an alphabet that hits every rule: legacy characters,
// '_' runs, ':', '.', digits, multi-byte UTF-8 and invalid bytes.
std::vector<std::string> random_names(std::size_t n) {
  const std::vector<std::string> atoms = {"a",    "Z",  "_",  "__",  ":",        ".",
                                          "0",    "9",  "-",  " ",   "\xc3\xa9", "\xf0\x9f\x93\x88",
                                          "\xff", "\"", "\\", "U__", "_dot_"};
  std::mt19937 rng(42);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::string s;
    std::size_t len = rng() % 8;
    for (std::size_t k = 0; k < len; ++k) s += atoms[rng() % atoms.size()];
    out.push_back(s);
  }
  return out;
}

TEST(NamingSanitize, PropertyOutputAlwaysValidAndIdempotent) {
  int ok_metric = 0, ok_label = 0;
  for (const std::string& raw : random_names(20000)) {
    SanitizeResult m = sanitize_metric_name(raw);
    if (m.ok) {
      ++ok_metric;
      EXPECT_TRUE(is_legacy_metric_name(m.name)) << raw;
      SanitizeResult again = sanitize_metric_name(m.name);
      ASSERT_TRUE(again.ok);
      EXPECT_EQ(again.name, m.name) << raw;
    } else {
      EXPECT_FALSE(m.error.empty());
    }
    SanitizeResult l = sanitize_label_name(raw);
    if (l.ok) {
      ++ok_label;
      EXPECT_EQ(label_name_error(l.name), "") << raw << " -> " << l.name;
      SanitizeResult again = sanitize_label_name(l.name);
      ASSERT_TRUE(again.ok);
      EXPECT_EQ(again.name, l.name) << raw;
    }
    // Names that are already valid are never changed.
    if (is_legacy_metric_name(raw) && m.ok) {
      EXPECT_EQ(m.name, raw);
    }
    if (label_name_error(raw).empty() && l.ok) {
      EXPECT_EQ(l.name, raw);
    }
  }
  EXPECT_GT(ok_metric, 10000);  // the generator really exercises the success path
  EXPECT_GT(ok_label, 10000);
}

struct EscapeCase {
  const char* in;
  EscapingScheme scheme;
  const char* out;
  bool reversible;
};

TEST(NamingEscaping, SchemesTable) {
  using S = EscapingScheme;
  const EscapeCase cases[] = {
      {"metric.name/with/slashes", S::kUnderscores, "metric_name_with_slashes", false},
      {"already_legacy", S::kUnderscores, "already_legacy", false},  // unescape is never possible
      {"1abc", S::kUnderscores, "_abc", false},                      // leading digit replaced
      {"metric.name.with.dots", S::kDots, "metric_dot_name_dot_with_dot_dots", true},
      {"my_metric.x", S::kDots, "my__metric_dot_x", true},
      {"plain", S::kDots, "plain", true},
      {"a_dot_b", S::kDots, "a__dot__b", true},  // a replace-all unescape gets this wrong
      {"a-b", S::kDots, "a__b", false},          // '-' and '_' both become "__"
      {"metric.name", S::kValues, "U__metric_2e_name", true},
      {"legacy_name", S::kValues, "legacy_name", true},
      {"my_m.x", S::kValues, "U__my__m_2e_x", true},
      {"caf\xc3\xa9", S::kValues, "U__caf_e9_", true},
      {"\xf0\x9f\x93\x88", S::kValues, "U___1f4c8_", true},
      {"1a", S::kValues, "U___31_a", true},  // leading digit is not legacy
      {"a\xff", S::kValues, "U__a_FFFD_", false},
      {"U__x", S::kValues, "U__x", false},  // legacy, kept, but reads as escaped
  };
  for (const EscapeCase& c : cases) {
    EXPECT_EQ(escape_name(c.in, c.scheme), c.out) << c.in << " " << escaping_scheme_name(c.scheme);
    EXPECT_EQ(escaping_is_reversible(c.in, c.scheme), c.reversible) << c.in << " " << escaping_scheme_name(c.scheme);
    if (c.reversible) {
      EXPECT_EQ(unescape_name(c.out, c.scheme), std::optional<std::string>(c.in));
    }
  }
}

TEST(NamingEscaping, LabelKindTreatsColonAsNonLegacy) {
  EXPECT_EQ(escape_name("a:b", EscapingScheme::kUnderscores, NameKind::kLabel), "a_b");
  EXPECT_EQ(escape_name("a:b", EscapingScheme::kValues, NameKind::kLabel), "U__a_3a_b");
  EXPECT_EQ(escape_name("a:b", EscapingScheme::kValues, NameKind::kMetric), "a:b");
}

TEST(NamingEscaping, UnescapeRejectsWhatEscapeCannotProduce) {
  EXPECT_EQ(unescape_name("a_b", EscapingScheme::kDots), std::nullopt);              // lone '_'
  EXPECT_EQ(unescape_name("U__a_zz_", EscapingScheme::kValues), std::nullopt);       // not hex
  EXPECT_EQ(unescape_name("U__a_110000_", EscapingScheme::kValues), std::nullopt);   // > U+10FFFF
  EXPECT_EQ(unescape_name("U__a_d800_", EscapingScheme::kValues), std::nullopt);     // surrogate
  EXPECT_EQ(unescape_name("U__a_2e", EscapingScheme::kValues), std::nullopt);        // unclosed
  EXPECT_EQ(unescape_name("U__a_1234567_", EscapingScheme::kValues), std::nullopt);  // too long
  EXPECT_EQ(unescape_name("no_prefix.x", EscapingScheme::kValues), std::optional<std::string>("no_prefix.x"));
  EXPECT_EQ(unescape_name("U__A_2E_B", EscapingScheme::kValues),
            std::optional<std::string>("A.B"));  // hex case-insensitive
  EXPECT_EQ(unescape_name("x", EscapingScheme::kUnderscores), std::nullopt);
}

TEST(NamingEscaping, PropertyEscapedNamesAreLegacyAndValidUtf8RoundTrips) {
  for (const std::string& raw : random_names(20000)) {
    if (raw.empty()) continue;
    for (EscapingScheme s : {EscapingScheme::kUnderscores, EscapingScheme::kDots, EscapingScheme::kValues}) {
      std::string e = escape_name(raw, s);
      EXPECT_TRUE(is_legacy_metric_name(e)) << raw << " " << escaping_scheme_name(s) << " -> " << e;
    }
    // values round-trips every valid UTF-8 name that is not itself legacy.
    if (is_utf8_name(raw) && !is_legacy_metric_name(raw)) {
      EXPECT_TRUE(escaping_is_reversible(raw, EscapingScheme::kValues)) << raw;
    }
  }
}

TEST(NamingEscaping, ParsesSchemeNames) {
  EXPECT_EQ(parse_escaping_scheme("dots"), EscapingScheme::kDots);
  EXPECT_EQ(parse_escaping_scheme("values"), EscapingScheme::kValues);
  EXPECT_EQ(parse_escaping_scheme("underscores"), EscapingScheme::kUnderscores);
  EXPECT_EQ(parse_escaping_scheme("allow-utf-8"), std::nullopt);
}

TEST(NamingEscaping, LabelValueEscaping) {
  std::string out;
  append_escaped_label_value(out, "a\"b\\c\nd}{#,=");
  EXPECT_EQ(out, "a\\\"b\\\\c\\nd}{#,=");
}

}  // namespace
}  // namespace promvet::naming
