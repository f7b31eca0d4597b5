// Linked only when the ANTLR4 runtime comes from its static archive (lib/promql/CMakeLists.txt):
// the runtime's XPath queries, which promvet never makes, without the runtime's XPath objects.
//
// Why: the archive member that defines antlr4::Parser also defines its parse-tree pattern
// matching, which uses XPath, whose lexer (XPathLexer.cpp) builds its ATN in a global
// constructor. Linking the archive thus ran that constructor before main() in every promvet
// process: 0.29 M instructions, 5% of `promvet lint` on one dashboard and a third of
// `promvet --version` (issue 21, docs/benchmarks.md "Start-up"). With XPath's out-of-line members
// defined here, the linker has no reason to take XPath.cpp.o, and so XPathLexer.cpp.o, from the
// archive. Nothing in promvet calls these (it never compiles a tree pattern); if something ever
// did, it gets an exception that says so rather than a wrong answer.
#include <memory>
#include <string>
#include <vector>

#include "antlr4-runtime.h"
#include "tree/xpath/XPath.h"
#include "tree/xpath/XPathElement.h"

namespace antlr4::tree::xpath {
namespace {

[[noreturn]] void unavailable() {
  throw UnsupportedOperationException("promvet links the ANTLR4 runtime without XPath (lib/promql/static_runtime)");
}

}  // namespace

XPath::XPath(Parser* parser, const std::string& path) : _path(path), _parser(parser) {}

std::vector<std::unique_ptr<XPathElement>> XPath::split(const std::string&) { unavailable(); }

std::vector<ParseTree*> XPath::evaluate(ParseTree*) { unavailable(); }

std::unique_ptr<XPathElement> XPath::getXPathElement(Token*, bool) { unavailable(); }

}  // namespace antlr4::tree::xpath
