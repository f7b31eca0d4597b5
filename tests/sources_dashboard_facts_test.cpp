// SourceFile::dashboard (DashboardFacts): repeat variables and includeVars as the dashboard
// loader reads them from the parsed JSON, in every place Grafana puts them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sources/dashboard.h"

namespace promvet::sources {
namespace {

using Names = std::vector<std::string>;

TEST(DashboardFacts, ClassicRepeatsOfPanelsRowsAndLibraryPanels) {
  const char* j = R"J({
    "__elements": {"lib-1": {"uid": "lib-1", "model": {"type": "stat", "repeat": "zone",
                                                        "targets": [{"expr": "up"}]}}},
    "panels": [
      {"type": "row", "repeat": "cluster", "collapsed": true, "panels": [
        {"type": "timeseries", "repeat": "node", "targets": [{"expr": "up"}]}
      ]},
      {"type": "stat", "repeat": null, "targets": [{"expr": "up"}]},
      {"type": "stat", "repeat": "", "targets": [{"expr": "up"}]},
      {"libraryPanel": {"uid": "lib-1"}}
    ],
    "rows": [{"repeat": "region", "panels": [{"repeat": "pod", "targets": [{"expr": "up"}]}]}]
  })J";
  SourceFile f = load_dashboard("d.json", j);
  EXPECT_EQ(f.dashboard.repeat_variables, (Names{"cluster", "node", "zone", "region", "pod"}));
  EXPECT_FALSE(f.dashboard.passes_variables);
}

TEST(DashboardFacts, IncludeVarsOfDashboardLinksPanelLinksAndDashboardLists) {
  auto passes = [](const std::string& j) { return load_dashboard("d.json", j).dashboard.passes_variables; };
  EXPECT_TRUE(passes(R"J({"links": [{"type": "dashboards", "includeVars": true}], "panels": []})J"));
  EXPECT_TRUE(passes(R"J({"panels": [{"type": "row", "panels": [
                           {"type": "stat", "links": [{"url": "/d/x", "includeVars": true}]}]}]})J"));
  EXPECT_TRUE(passes(R"J({"panels": [{"type": "dashlist", "options": {"includeVars": true}}]})J"));
  EXPECT_TRUE(passes(R"J({"dashboard": {"links": [{"includeVars": true}]}})J"));
  // Not passed on: false, a string, a key elsewhere, text that mentions it.
  EXPECT_FALSE(passes(R"J({"links": [{"type": "dashboards", "includeVars": false}]})J"));
  EXPECT_FALSE(passes(R"J({"links": [{"includeVars": "true"}]})J"));
  EXPECT_FALSE(passes(R"J({"templating": {"list": [{"name": "a", "includeVars": true}]}})J"));
  EXPECT_FALSE(passes(R"J({"description": "\"includeVars\": true", "panels": []})J"));
}

TEST(DashboardFacts, InsideAnOperatorSpecJsonString) {
  // The dashboard is a JSON string inside JSON: its keys are escaped in the file's text.
  const char* j = R"J({"apiVersion": "grafana.integreatly.org/v1beta1", "kind": "GrafanaDashboard",
    "spec": {"json": "{\"links\": [{\"includeVars\": true}], \"panels\": [{\"repeat\": \"node\"}]}"}})J";
  SourceFile f = load_dashboard("d.json", j);
  EXPECT_TRUE(f.dashboard.passes_variables);
  EXPECT_EQ(f.dashboard.repeat_variables, (Names{"node"}));
}

TEST(DashboardFacts, SchemaV2LayoutRepeatsLinksAndDashboardLists) {
  const char* j = R"J({
    "apiVersion": "dashboard.grafana.app/v2beta1", "kind": "Dashboard", "metadata": {"name": "u"},
    "spec": {
      "elements": {"panel-1": {"kind": "Panel", "spec": {"title": "p", "vizConfig": {"kind": "stat"}}}},
      "layout": {"kind": "RowsLayout", "spec": {"rows": [
        {"kind": "RowsLayoutRow", "spec": {"repeat": {"mode": "variable", "value": "cluster"},
          "layout": {"kind": "GridLayout", "spec": {"items": [
            {"kind": "GridLayoutItem", "spec": {"element": {"kind": "ElementReference", "name": "panel-1"},
                                                "repeat": {"mode": "variable", "value": "node"}}}]}}}},
        {"kind": "RowsLayoutRow", "spec": {"layout": {"kind": "TabsLayout", "spec": {"tabs": [
          {"kind": "TabsLayoutTab", "spec": {"repeat": {"mode": "variable", "value": "zone"}}}]}}}}
      ]}},
      "variables": []
    }
  })J";
  SourceFile f = load_dashboard("d.json", j);
  EXPECT_EQ(f.dashboard.repeat_variables, (Names{"cluster", "node", "zone"}));
  EXPECT_FALSE(f.dashboard.passes_variables);

  // A bare v2 spec: `elements` beside `layout`.
  auto passes = [](const std::string& elements, const std::string& links) {
    std::string text = R"J({"elements": )J" + elements + R"J(, "layout": {}, "links": )J" + links + "}";
    return load_dashboard("d.json", text).dashboard.passes_variables;
  };
  EXPECT_TRUE(passes("{}", R"J([{"title": "x", "includeVars": true}])J"));
  EXPECT_TRUE(passes(R"J({"p": {"kind": "Panel", "spec": {"links": [{"includeVars": true}]}}})J", "[]"));
  EXPECT_TRUE(passes(R"J({"p": {"kind": "Panel", "spec": {"vizConfig": {"kind": "dashlist",
                         "spec": {"options": {"includeVars": true}}}}}})J",
                     "[]"));
  EXPECT_FALSE(passes("{}", R"J([{"title": "x", "includeVars": false}])J"));
}

TEST(DashboardFacts, NothingFromSalvagedJson) {
  SourceFile f =
      load_dashboard("d.json", R"J({"links": [{"includeVars": true}], "panels": [{"repeat": "n", "expr": "up"})J");
  EXPECT_FALSE(f.dashboard.passes_variables);
  EXPECT_TRUE(f.dashboard.repeat_variables.empty());
}

}  // namespace
}  // namespace promvet::sources
