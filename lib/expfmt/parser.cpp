// STUB being replaced by the real parser.
#include "expfmt/parser.h"

namespace promvet::expfmt {
struct Parser::Impl { Handler& h; std::uint64_t bytes = 0; };
Parser::Parser(const ParserOptions&, Handler& h) : impl_(new Impl{h}) {}
Parser::~Parser() = default;
void Parser::feed(std::string_view c) { impl_->bytes += c.size(); }
void Parser::finish() {}
bool Parser::ok() const { return true; }
std::uint64_t Parser::error_count() const { return 0; }
std::uint64_t Parser::bytes() const { return impl_->bytes; }
std::uint64_t Parser::lines() const { return 0; }
std::uint64_t Parser::samples() const { return 0; }
Format detect_format(std::string_view, std::string_view, std::string_view) { return Format::kText; }
}  // namespace promvet::expfmt
