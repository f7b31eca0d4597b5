#include "checks/inventory_types.h"

#include "inventory/inventory.h"

namespace promvet::checks {

std::optional<MetricType> InventoryTypes::type_of_family(std::string_view family) const {
  const inventory::Family* f = inventory_.find(family);
  if (!f) return std::nullopt;
  switch (f->type) {
    case expfmt::MetricType::kCounter: return MetricType::Counter;
    case expfmt::MetricType::kGauge: return MetricType::Gauge;
    case expfmt::MetricType::kHistogram: return MetricType::Histogram;
    case expfmt::MetricType::kGaugeHistogram: return MetricType::GaugeHistogram;
    case expfmt::MetricType::kSummary: return MetricType::Summary;
    case expfmt::MetricType::kInfo: return MetricType::Info;
    case expfmt::MetricType::kStateSet: return MetricType::StateSet;
    case expfmt::MetricType::kUnknown:
    case expfmt::MetricType::kUntyped: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace promvet::checks
