// Every relative link in README.md and docs/**/*.md points at a file or directory that exists:
// docs are moved and renamed, and a dead link is only noticed by the reader who clicks it.
// Links are the inline form `[text](target)` / `![alt](target)` outside code blocks and code
// spans; http(s)://, mailto: and pure #anchor targets are not checked (the anchor part of
// `path#anchor` is dropped, the path is checked).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

namespace fs = std::filesystem;

namespace promvet::test {
namespace {

struct Link {
  int line = 0;
  std::string target;  // as written, without an optional "title"
};

// Strips `code spans` from one line, so `a[0](b)` in code is not read as a link.
std::string without_code_spans(const std::string& line) {
  std::string out;
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] != '`') {
      out += line[i++];
      continue;
    }
    size_t ticks = 0;
    while (i + ticks < line.size() && line[i + ticks] == '`') ++ticks;
    std::string fence(ticks, '`');
    size_t close = line.find(fence, i + ticks);
    if (close == std::string::npos) {  // unmatched: literal backticks
      out += fence;
      i += ticks;
      continue;
    }
    out += ' ';
    i = close + ticks;
  }
  return out;
}

// The inline link targets of a Markdown text, with their line numbers.
std::vector<Link> links_in(const std::string& text) {
  std::vector<Link> links;
  std::istringstream in(text);
  std::string raw;
  int line_no = 0;
  std::string fence;  // the open ``` or ~~~ fence, "" outside a fenced block
  while (std::getline(in, raw)) {
    ++line_no;
    size_t indent = raw.find_first_not_of(' ');
    if (indent != std::string::npos && indent < 4) {
      std::string rest = raw.substr(indent);
      char c = rest[0];
      if (c == '`' || c == '~') {
        size_t n = rest.find_first_not_of(c);
        if (n == std::string::npos) n = rest.size();
        if (n >= 3) {
          if (fence.empty()) {
            fence = rest.substr(0, n);
            continue;
          }
          if (rest[0] == fence[0] && n >= fence.size() && rest.find_first_not_of(" \t", n) == std::string::npos) {
            fence.clear();
            continue;
          }
        }
      }
    }
    if (!fence.empty()) continue;
    std::string line = without_code_spans(raw);
    for (size_t at = line.find("]("); at != std::string::npos; at = line.find("](", at + 2)) {
      size_t i = at + 2;
      std::string target;
      if (i < line.size() && line[i] == '<') {  // ](<path with spaces>)
        size_t close = line.find('>', i);
        if (close == std::string::npos) continue;
        target = line.substr(i + 1, close - i - 1);
      } else {  // up to the matching ')' or a space before a "title"
        int depth = 0;
        size_t j = i;
        for (; j < line.size(); ++j) {
          char c = line[j];
          if (c == '(') ++depth;
          if (c == ')' && depth-- == 0) break;
          if (c == ' ' || c == '\t') break;
        }
        if (j >= line.size()) continue;  // no closing parenthesis: not a link
        target = line.substr(i, j - i);
      }
      if (!target.empty()) links.push_back({line_no, target});
    }
  }
  return links;
}

bool is_external_or_anchor(const std::string& target) {
  auto starts = [&](const char* prefix) { return target.rfind(prefix, 0) == 0; };
  return starts("http://") || starts("https://") || starts("mailto:") || starts("#");
}

// README.md and every docs/**/*.md, sorted, as absolute paths.
std::vector<fs::path> markdown_files() {
  fs::path root = source_dir();
  std::vector<fs::path> files{root / "README.md"};
  for (const auto& entry : fs::recursive_directory_iterator(root / "docs")) {
    if (entry.is_regular_file() && entry.path().extension() == ".md") files.push_back(entry.path());
  }
  std::sort(files.begin() + 1, files.end());
  return files;
}

TEST(DocsLinks, ParserFindsLinksAndSkipsCode) {
  std::vector<Link> links = links_in(
      "see [a](a.md) and ![img](img/x.png \"title\") and [b](<b c.md>)\n"
      "`[not](code.md)` and [w](https://example.com) [s](#sec) [p](dir/p.md#anchor)\n"
      "```sh\n"
      "[inside](fence.md)\n"
      "```\n"
      "[after](after.md) [paren](f(1).md)\n");
  std::vector<std::string> targets;
  for (const Link& l : links) targets.push_back(std::to_string(l.line) + ":" + l.target);
  EXPECT_EQ(targets, (std::vector<std::string>{"1:a.md", "1:img/x.png", "1:b c.md", "2:https://example.com", "2:#sec",
                                               "2:dir/p.md#anchor", "6:after.md", "6:f(1).md"}));
}

TEST(DocsLinks, EveryRelativeLinkResolves) {
  fs::path root = source_dir();
  std::vector<fs::path> files = markdown_files();
  ASSERT_GT(files.size(), 1u) << "no docs/**/*.md under " << root;
  size_t checked = 0;
  std::vector<std::string> broken;
  for (const fs::path& file : files) {
    ASSERT_TRUE(fs::exists(file)) << file;
    for (const Link& link : links_in(read_file(file.string()))) {
      if (is_external_or_anchor(link.target)) continue;
      std::string path = link.target.substr(0, link.target.find_first_of("#?"));
      if (path.empty()) continue;
      ++checked;
      // A leading '/' is the repository root, as GitHub renders it.
      fs::path resolved = path[0] == '/' ? root / path.substr(1) : file.parent_path() / path;
      if (!fs::exists(resolved)) {
        broken.push_back(fs::relative(file, root).string() + ":" + std::to_string(link.line) + ": broken link -> " +
                         link.target);
      }
    }
  }
  std::string report;
  for (const std::string& b : broken) report += b + "\n";
  EXPECT_TRUE(broken.empty()) << broken.size() << " broken link(s) of " << checked << " checked:\n" << report;
  EXPECT_GT(checked, 0u);
  std::cout << "[ DocsLinks ] " << checked << " relative links checked in " << files.size() << " files\n";
}

TEST(DocsLinks, ReadmeLinksTheUserGuide) {
  bool found = false;
  for (const Link& link : links_in(read_file(source_dir() + "/README.md"))) {
    if (link.target == "docs/guide.md" || link.target.rfind("docs/guide.md#", 0) == 0) found = true;
  }
  EXPECT_TRUE(found) << "README.md does not link docs/guide.md";
}

}  // namespace
}  // namespace promvet::test
