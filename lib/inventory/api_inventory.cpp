#include "inventory/api_inventory.h"

#include "inventory/http_fetch.h"

namespace promvet::inventory {
namespace {

class Builder final : public ApiHandler {
 public:
  explicit Builder(Inventory& inv) : inv_(inv) {}

  void on_metadata(std::string_view name, std::string_view type, std::string_view help,
                   std::string_view unit) override {
    Family* f = inv_.family(name);
    if (!f) return;
    if (auto t = type_from_name(type)) f->type = *t;
    if (f->unit.empty()) f->unit = std::string(unit);
    if (f->help.empty()) inv_.set_help(*f, help);
  }

  void on_name(std::string_view) override {}  // series carry the names; metadata the types

  void on_series(const LabelSet& labels) override {
    std::string_view name;
    scratch_.clear();
    for (const auto& [k, v] : labels) {
      if (k == "__name__") name = v;
      else scratch_.emplace_back(k, v);
    }
    if (name.empty()) return;
    ++samples_;
    std::string family;
    Family* f = inv_.find_series(name, &family) ? inv_.family(family) : inv_.family(name);
    if (!f) return;
    inv_.add_series(*f, scratch_);
  }

  uint64_t samples() const { return samples_; }

 private:
  Inventory& inv_;
  std::vector<std::pair<std::string_view, std::string_view>> scratch_;
  uint64_t samples_ = 0;
};

}  // namespace

ApiResult read_inventory_from_api(const std::string& base_url, const ApiOptions& options, Inventory& out) {
  Builder b(out);
  ApiResult r = read_prometheus_api(base_url, options, b);
  if (!r.ok) return r;
  Source s;
  s.name = redact_url(base_url);
  s.kind = "prometheus-api";
  s.samples = b.samples();
  out.add_source(std::move(s));
  if (r.partial) out.set_truncated();
  return r;
}

}  // namespace promvet::inventory
